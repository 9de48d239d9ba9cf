using System.CommandLine;
using GanSharp.Methods.Synthesis.Gan;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp export</c>: a slim copy of a GAN checkpoint (EMA generator + discriminator, no optimiser state).</summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("export", "Write a slim GAN checkpoint for distribution (EMA generator and discriminator; no optimiser state)");
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A checkpoint folder, a run folder, or latest", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Destination folder", Required = true };
        var noD = new Option<bool>("--no-discriminator") { Description = "Leave the discriminator out" };
        cmd.Options.Add(checkpoint);
        cmd.Options.Add(output);
        cmd.Options.Add(noD);
        cmd.SetAction(parse =>
        {
            Platform.TorchRuntime.EnsureInitialized();
            var m = GanCheckpoint.Export(parse.GetValue(checkpoint)!, parse.GetValue(output)!, !parse.GetValue(noD));
            long bytes = m.Files.Sum(f => f.Bytes);
            ctx.Output.WriteLine($"wrote {parse.GetValue(output)} (step {m.Step}, {bytes / 1024.0 / 1024.0:0.00} MB)");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
