using GanSharp.Checkpoints;
using System.Text.Json;
using GanSharp.Models;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>Loads the generator (and discriminator) of a GAN checkpoint, rebuilt from its manifest.</summary>
public static class GanCheckpoint
{
    /// <summary>
    /// The checkpoint's EMA generator (or the raw one with <paramref name="ema"/> false), on <paramref name="device"/>, in
    /// eval mode. A checkpoint of another method is refused with a clear message.
    /// </summary>
    public static IGenerator LoadGenerator(string checkpoint, Device? device = null, bool ema = true)
    {
        var (reader, arch) = Open(checkpoint);
        var g = arch.CreateGenerator();
        reader.LoadModule(ema && reader.Has(CheckpointFileKind.Module, "generator_ema") ? "generator_ema" : "generator", g.Module, device);
        g.Module.eval();
        return g;
    }

    /// <summary>The checkpoint's discriminator, in eval mode.</summary>
    public static IDiscriminator LoadDiscriminator(string checkpoint, Device? device = null)
    {
        var (reader, arch) = Open(checkpoint);
        var d = arch.CreateDiscriminator();
        reader.LoadModule("discriminator", d.Module, device);
        d.Module.eval();
        return d;
    }

    /// <summary>
    /// Opens and verifies a checkpoint and reads its architecture. <paramref name="checkpoint"/> is a checkpoint folder,
    /// a run folder (its latest checkpoint), or <c>latest</c> (the newest run under <c>runs/</c>).
    /// </summary>
    public static (CheckpointReader Reader, GanArchitecture Architecture) Open(string checkpoint)
    {
        var reader = CheckpointReader.Open(RunFolder.Resolve("runs", checkpoint).CheckpointPath);
        if (reader.Manifest.Method != "gan")
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not a GAN");
        var arch = reader.Manifest.Architecture.Deserialize<GanArchitecture>(CheckpointManifest.JsonOptions)
            ?? throw new GanSharpException($"{checkpoint}: manifest has no architecture");
        return (reader, arch);
    }

    /// <summary>
    /// Writes a slim copy of a training checkpoint for distribution: the EMA generator (as <c>generator_ema</c>) and the
    /// discriminator, without the raw generator and the optimiser states.
    /// </summary>
    public static CheckpointManifest Export(string checkpoint, string destination, bool includeDiscriminator = true)
    {
        var (reader, arch) = Open(checkpoint);
        var g = LoadGenerator(reader.Folder);
        using var writer = new CheckpointWriter(destination, reader.Manifest.Method, reader.Manifest.Step, reader.Manifest.Options, reader.Manifest.Architecture);
        writer.AddModule("generator_ema", g.Module);
        if (includeDiscriminator) writer.AddModule("discriminator", LoadDiscriminator(reader.Folder).Module);
        return writer.Commit();
    }
}
