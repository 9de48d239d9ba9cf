using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Synthesis.Gan;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>An anomaly model checkpoint opened once (every file's hash verified, info parsed).</summary>
/// <param name="Reader">The verified checkpoint.</param>
/// <param name="Info">Method, architecture, normal class, image shape, threshold.</param>
public sealed record OpenedAnomalyModel(CheckpointReader Reader, AnomalyModelInfo Info)
{
    /// <summary>Rebuilds the scorer on <paramref name="device"/> (networks in eval mode).</summary>
    public IAnomalyScorer CreateScorer(Device? device = null) => AnomalyDetectors.Get(Info.Method).LoadScorer(this, device ?? CPU);

    /// <summary>Loads the saved weights <paramref name="name"/> into <paramref name="module"/> on <paramref name="device"/>, in eval mode.</summary>
    public T Load<T>(string name, T module, Device device) where T : nn.Module
    {
        Reader.LoadModule(name, module, device);
        module.eval();
        return module;
    }

    /// <summary>The architecture of a model whose networks are a <see cref="GanArchitecture"/>'s (AnoGAN, f-AnoGAN).</summary>
    public GanArchitecture ReadGanArchitecture() =>
        Info.Architecture.Deserialize<GanArchitecture>(CheckpointManifest.JsonOptions)
        ?? throw new GanSharpException($"anomaly model {Reader.Folder}: no GAN architecture");

    /// <summary>The scorer options saved with the model, as <typeparamref name="T"/>; a clear error when they are missing or invalid.</summary>
    public T ReadScorerOptions<T>()
    {
        try
        {
            return Info.Scorer.Deserialize<T>(CheckpointManifest.JsonOptions)
                ?? throw new GanSharpException($"anomaly model {Reader.Folder}: no scorer options");
        }
        catch (JsonException e)
        {
            throw new GanSharpException($"anomaly model {Reader.Folder}: scorer options are not valid {typeof(T).Name} ({e.Message})", null, e);
        }
    }
}
