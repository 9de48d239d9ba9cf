using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Models;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>
/// A GAN checkpoint opened once (manifest read, every file's hash verified, architecture parsed), from which the
/// networks are rebuilt.
/// </summary>
/// <param name="Reader">The verified checkpoint.</param>
/// <param name="Architecture">What rebuilds its networks.</param>
/// <param name="RunFolder">The run folder the checkpoint belongs to, or null for a loose checkpoint.</param>
public sealed record OpenedGanCheckpoint(CheckpointReader Reader, GanArchitecture Architecture, string? RunFolder)
{
    /// <summary>The EMA generator (or the raw one with <paramref name="ema"/> false), on <paramref name="device"/>, in eval mode.</summary>
    public IGenerator LoadGenerator(Device? device = null, bool ema = true)
    {
        var g = Architecture.CreateGenerator();
        Reader.LoadModule(ema && Reader.Has(CheckpointFileKind.Module, "generator_ema") ? "generator_ema" : "generator", g.Module, device);
        g.Module.eval();
        return g;
    }

    /// <summary>The discriminator, in eval mode.</summary>
    public IDiscriminator LoadDiscriminator(Device? device = null)
    {
        var d = Architecture.CreateDiscriminator();
        Reader.LoadModule("discriminator", d.Module, device);
        d.Module.eval();
        return d;
    }
}

/// <summary>Loads the generator (and discriminator) of a GAN checkpoint, rebuilt from its manifest.</summary>
public static class GanCheckpoint
{
    /// <summary>
    /// The checkpoint's EMA generator (or the raw one with <paramref name="ema"/> false), on <paramref name="device"/>, in
    /// eval mode. A checkpoint of another method is refused with a clear message.
    /// </summary>
    public static IGenerator LoadGenerator(string checkpoint, Device? device = null, bool ema = true) =>
        Open(checkpoint).LoadGenerator(device, ema);

    /// <summary>The checkpoint's discriminator, in eval mode.</summary>
    public static IDiscriminator LoadDiscriminator(string checkpoint, Device? device = null) =>
        Open(checkpoint).LoadDiscriminator(device);

    /// <summary>
    /// Opens and verifies a checkpoint and reads its architecture. <paramref name="checkpoint"/> is a checkpoint folder,
    /// a run folder (its latest checkpoint), or <c>latest</c> (the newest run under <c>runs/</c>).
    /// </summary>
    public static OpenedGanCheckpoint Open(string checkpoint)
    {
        var point = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint);
        var reader = CheckpointReader.Open(point.CheckpointPath);
        if (reader.Manifest.Method != "gan")
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not a GAN");
        var arch = reader.Manifest.Architecture.Deserialize<GanArchitecture>(CheckpointManifest.JsonOptions)
            ?? throw new GanSharpException($"{checkpoint}: manifest has no architecture");
        return new OpenedGanCheckpoint(reader, arch, point.RunFolderPath);
    }

    /// <summary>
    /// Writes a slim copy of a training checkpoint for distribution: the EMA generator (as <c>generator_ema</c>) and the
    /// discriminator, without the raw generator and the optimiser states.
    /// </summary>
    public static CheckpointManifest Export(string checkpoint, string destination, bool includeDiscriminator = true)
    {
        var opened = Open(checkpoint);
        var manifest = opened.Reader.Manifest;
        using var writer = new CheckpointWriter(destination, manifest.Method, manifest.Step, manifest.Options, manifest.Architecture);
        writer.AddModule("generator_ema", opened.LoadGenerator().Module);
        if (includeDiscriminator) writer.AddModule("discriminator", opened.LoadDiscriminator().Module);
        return writer.Commit();
    }
}
