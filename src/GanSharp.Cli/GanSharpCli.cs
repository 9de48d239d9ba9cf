using System.CommandLine;
using GanSharp.Cli.Commands;
using Spectre.Console;

namespace GanSharp.Cli;

/// <summary>Exit codes of the <c>gansharp</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The command ran and failed (bad input file, missing data, corrupt checkpoint…).</summary>
    public const int Error = 1;
    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;
}

/// <summary>Where a command writes: plain writers for tests, a Spectre console for tables and progress.</summary>
public sealed class CliContext
{
    /// <summary>Creates a context over the given writers.</summary>
    public CliContext(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected ? InteractionSupport.Detect : InteractionSupport.No,
            Ansi = ReferenceEquals(output, System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
        });
    }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }
    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }
    /// <summary>Rich console on <see cref="Output"/> (tables, progress bars; plain text when redirected).</summary>
    public IAnsiConsole Console { get; }
}

/// <summary>Builds the command tree and runs it with GanSharp's error policy: one line plus a hint, exit 0/1/2.</summary>
public static class GanSharpCli
{
    /// <summary><c>--verbose</c>: print stack traces for errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Print stack traces for errors", Recursive = true };

    /// <summary>The root command with every verb.</summary>
    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("GanSharp: GANs for .NET — train, invert, restore, edit (paint, or the web editor: serve), translate, detect anomalies.");
        root.Options.Add(Verbose);
        root.Subcommands.Add(DoctorCommand.Create(ctx));
        root.Subcommands.Add(DemoCommand.Create(ctx));
        root.Subcommands.Add(DataCommand.Create(ctx));
        root.Subcommands.Add(TrainCommand.Create(ctx));
        root.Subcommands.Add(SampleCommand.Create(ctx));
        root.Subcommands.Add(EvalCommand.Create(ctx));
        root.Subcommands.Add(ExportCommand.Create(ctx));
        root.Subcommands.Add(AnomalyCommand.Create(ctx));
        root.Subcommands.Add(InvertCommand.Create(ctx));
        root.Subcommands.Add(RestoreCommand.Create(ctx));
        root.Subcommands.Add(BlendCommand.Create(ctx));
        root.Subcommands.Add(DissectCommand.Create(ctx));
        root.Subcommands.Add(PaintCommand.Create(ctx));
        root.Subcommands.Add(ServeCommand.Create(ctx));
        root.Subcommands.Add(TranslateCommands.CreateTranslate(ctx));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        var ctx = new CliContext(output, error);
        var root = BuildRoot(ctx);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine("error: " + e.Message);
            error.WriteLine("hint: run `gansharp " + string.Join(' ', CommandPath(parse)) + " --help` for usage");
            return ExitCodes.Usage;
        }
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellation);
        }
        catch (Exception e) when (Unwrap(e) is GanSharpException ge)
        {
            error.WriteLine("error: " + ge.Message);
            if (ge.Hint != null) error.WriteLine("hint: " + ge.Hint);
            if (verbose) error.WriteLine(ge.ToString());
            return ExitCodes.Error;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            error.WriteLine("error: cancelled");
            return ExitCodes.Error;
        }
        catch (Exception e) when (DescribeFileSystemError(Unwrap(e)) is { } fs)
        {
            error.WriteLine("error: " + fs.Message);
            error.WriteLine("hint: " + fs.Hint);
            if (verbose) error.WriteLine(Unwrap(e).ToString());
            return ExitCodes.Error;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            error.WriteLine($"error: {inner.GetType().Name}: {inner.Message}");
            error.WriteLine(verbose ? inner.ToString() : "hint: run again with --verbose for the stack trace");
            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// A file-system failure said in the user's terms (the disk is full, access is denied, a file is missing), with what
    /// to do; null for anything else. Outputs are written atomically, so a failed write leaves no half-written file.
    /// </summary>
    public static (string Message, string Hint)? DescribeFileSystemError(Exception e)
    {
        const string kept = "GanSharp writes through a temporary file, so no half-written output was left behind";
        return e switch
        {
            IOException io when io.HResult == 28 || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                || io.Message.Contains("disk full", StringComparison.OrdinalIgnoreCase) =>
                ($"the disk is full: {io.Message}", $"free some space, or write elsewhere (-o, --runs); {kept}"),
            UnauthorizedAccessException ua => ($"permission denied: {ua.Message}", "choose a folder you may write to (-o, --runs), or fix the file's permissions"),
            FileNotFoundException fnf => ($"file not found: {fnf.FileName ?? fnf.Message}", "check the path"),
            DirectoryNotFoundException dnf => ($"folder not found: {dnf.Message}", "check the path, or create the folder first"),
            PathTooLongException ptl => ($"path too long: {ptl.Message}", "use a shorter output path"),
            IOException io when io.GetType() == typeof(IOException) => ($"file system error: {io.Message}", $"check the disk and the paths given; {kept}"),
            _ => null,
        };
    }

    static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0])
        : e is System.Reflection.TargetInvocationException { InnerException: { } ti } ? Unwrap(ti) : e;

    static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r != null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return names;
    }
}
