using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>An encoder checkpoint opened once (manifest read and verified, architecture parsed).</summary>
/// <param name="Reader">The verified checkpoint.</param>
/// <param name="Architecture">What rebuilds the encoder.</param>
/// <param name="Method">The method that trained it (<c>encoder</c> or <c>padinv</c>).</param>
public sealed record OpenedEncoder(CheckpointReader Reader, EncoderArchitecture Architecture, string Method)
{
    /// <summary>The encoder on <paramref name="device"/>, in eval mode, parameters frozen.</summary>
    public DcganEncoder Load(Device? device = null)
    {
        var e = new DcganEncoder(Architecture.Backbone);
        Reader.LoadModule("encoder", e, device);
        e.eval();
        foreach (var p in e.parameters()) p.requires_grad = false;
        return e;
    }
}

/// <summary>Opens encoder checkpoints written by <c>gansharp train encoder</c> or <c>gansharp train padinv</c>.</summary>
public static class EncoderCheckpoint
{
    /// <summary>
    /// Opens and verifies <paramref name="checkpoint"/> (a checkpoint folder, a run folder or <c>latest</c>); refuses a
    /// checkpoint of another method than <paramref name="methods"/>.
    /// </summary>
    public static OpenedEncoder Open(string checkpoint, params string[] methods)
    {
        var point = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint);
        var reader = CheckpointReader.Open(point.CheckpointPath);
        if (!methods.Contains(reader.Manifest.Method))
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not {string.Join(" or ", methods.Select(m => $"'{m}'"))}",
                $"train one with gansharp train {methods[0]}");
        var arch = reader.Manifest.Architecture.Deserialize<EncoderArchitecture>(CheckpointManifest.JsonOptions)
            ?? throw new GanSharpException($"{checkpoint}: manifest has no architecture");
        return new OpenedEncoder(reader, arch, reader.Manifest.Method);
    }
}
