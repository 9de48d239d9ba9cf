using System.Text.Json;
using GanSharp.Cli;

namespace GanSharp.Tests.Cli;

public class CliTests
{
    internal static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await GanSharpCli.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>A real ENOSPC (writing to /dev/full) is said as a full disk with what to do, not as an exception type.</summary>
    [LinuxFact]
    public void AFullDiskIsSaidInTheUsersTerms()
    {
        var real = Assert.ThrowsAny<IOException>(() => { using var f = new FileStream("/dev/full", FileMode.Open, FileAccess.Write); f.Write(new byte[4096]); f.Flush(); });
        var said = GanSharpCli.DescribeFileSystemError(real);
        Assert.NotNull(said);
        Assert.StartsWith("the disk is full", said!.Value.Message);
        Assert.Contains("free some space", said.Value.Hint);
        Assert.StartsWith("permission denied", GanSharpCli.DescribeFileSystemError(new UnauthorizedAccessException("Access to the path '/x' is denied."))!.Value.Message);
        Assert.StartsWith("file system error", GanSharpCli.DescribeFileSystemError(new IOException("Input/output error : '/x'"))!.Value.Message);
        Assert.Null(GanSharpCli.DescribeFileSystemError(new InvalidOperationException("not a file-system error")));
    }

    [Fact]
    public async Task NoCommandIsAUsageError()
    {
        var (code, _, err) = await Run();
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("error:", err);
        Assert.Contains("--help", err);
    }

    [Fact]
    public async Task UnknownOptionIsAUsageErrorNamingIt()
    {
        var (code, _, err) = await Run("doctor", "--bogus");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--bogus", err);
        Assert.Contains("gansharp doctor --help", err);
    }

    [Fact]
    public async Task BadDeviceIsAUsageError()
    {
        var (code, _, err) = await Run("doctor", "--device", "tpu");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--device tpu", err);
        (code, _, err) = await Run("doctor", "--threads", "-3");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--threads", err);
    }

    [Fact]
    public async Task MissingCudaIsAnErrorWithAHintAndNoStackTrace()
    {
        if (TorchSharp.torch.cuda.is_available()) return;
        var (code, _, err) = await Run("doctor", "--device", "cuda");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("error: --device cuda", err);
        Assert.Contains("hint:", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task HelpWorksForEveryCommand()
    {
        var root = GanSharpCli.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null));
        foreach (var path in AllCommandPaths(root, new List<string>()))
        {
            var (code, output, _) = await Run(path.Append("--help").ToArray());
            Assert.True(code == ExitCodes.Ok, string.Join(' ', path));
            Assert.Contains("Usage:", output);
        }
    }

    static IEnumerable<List<string>> AllCommandPaths(System.CommandLine.Command c, List<string> prefix)
    {
        yield return prefix;
        foreach (var sub in c.Subcommands)
            foreach (var p in AllCommandPaths(sub, new List<string>(prefix) { sub.Name }))
                yield return p;
    }

    [Fact]
    public async Task DoctorJsonIsMachineReadable()
    {
        var (code, output, _) = await Run("doctor", "--json", "--threads", "2");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("0.107.0", root.GetProperty("torchSharpVersion").GetString());
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        Assert.Contains(root.GetProperty("nativeLoadFix").GetProperty("status").GetString(), new[] { "applied", "not needed" });
        Assert.True(root.GetProperty("numerics").TryGetProperty("mkldnnEnabled", out _));
        Assert.Contains("cpu", root.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task DoctorTableShowsTheFixAndTheCheck()
    {
        var (code, output, _) = await Run("doctor", "--device", "cpu");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("native-load fix", output);
        Assert.Contains("numerics", output);
        Assert.Contains("oneDNN", output);
    }
}
