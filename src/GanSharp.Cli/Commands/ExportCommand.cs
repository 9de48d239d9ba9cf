using System.CommandLine;
using GanSharp.Methods.Synthesis.Gan;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp export</c>: a slim copy of a checkpoint: for a GAN the EMA generator + discriminator; for any other method
/// (encoder, PadInv, anomaly detectors) its networks, for a translator its two generators; never the optimiser or resume state.
/// </summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("export", "Write a slim checkpoint for distribution (a GAN's EMA generator and discriminator, or another method's networks; no optimiser or resume state)");
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A checkpoint folder, a run folder, or latest", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Destination folder", Required = true };
        var noD = new Option<bool>("--no-discriminator") { Description = "Leave the discriminator out" };
        cmd.Options.Add(checkpoint);
        cmd.Options.Add(output);
        cmd.Options.Add(noD);
        cmd.SetAction(parse =>
        {
            Platform.TorchRuntime.EnsureInitialized();
            string source = parse.GetValue(checkpoint)!;
            string method = Checkpoints.CheckpointReader.Open(Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, source).CheckpointPath, verify: false).Manifest.Method;
            bool gan = method == "gan";
            if (!gan && parse.GetValue(noD)) throw new GanSharpException($"{source}: --no-discriminator applies to GAN checkpoints only");
            var m = gan ? GanCheckpoint.Export(source, parse.GetValue(output)!, !parse.GetValue(noD)) : Training.Trainer.ExportSlim(source, parse.GetValue(output)!, UsedModules(method));
            long bytes = m.Files.Sum(f => f.Bytes);
            ctx.Output.WriteLine($"wrote {parse.GetValue(output)} (step {m.Step}, {bytes / 1024.0 / 1024.0:0.00} MB)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The networks a method's checkpoint needs for use (the rest trained alongside): PadInv keeps its encoder only;
    /// a translator (CycleGAN, U-GAT-IT) its two generators, without discriminators and history pools.
    /// </summary>
    static IReadOnlyCollection<string>? UsedModules(string method) => method switch
    {
        Methods.Inversion.PadInv.PadInvMethod.MethodName => new[] { "encoder" },
        Methods.Translation.CycleGan.CycleGanMethod.MethodName or Methods.Translation.UGatIt.UGatItMethod.MethodName => new[] { "g_ab", "g_ba" },
        _ => null,
    };
}
