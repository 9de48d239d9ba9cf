using System.Text.Json;
using GanSharp.Checkpoints;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// Anomaly model checkpoints: a <see cref="CheckpointWriter"/> folder (manifest with SHA-256 per file) whose method is
/// <see cref="CheckpointMethod"/>, whose architecture is an <see cref="AnomalyModelInfo"/> and whose modules are the
/// networks the scorer needs. A modified or truncated file is refused when the model is opened.
/// </summary>
public static class AnomalyModel
{
    /// <summary>The method name in the manifest of every anomaly model.</summary>
    public const string CheckpointMethod = "anomaly";

    /// <summary>Writes a model checkpoint at <paramref name="path"/> (atomically).</summary>
    public static CheckpointManifest Save(string path, AnomalyModelInfo info, IReadOnlyDictionary<string, nn.Module> modules, object options, long step)
    {
        using var writer = new CheckpointWriter(path, CheckpointMethod, step, CheckpointWriter.ToJson(options), CheckpointWriter.ToJson(info));
        foreach (var (name, module) in modules) writer.AddModule(name, module);
        return writer.Commit();
    }

    /// <summary>
    /// Opens and verifies the model at <paramref name="path"/>: a model folder, or a run folder of
    /// <c>gansharp anomaly train</c> (its <c>model</c> sub-folder).
    /// </summary>
    public static OpenedAnomalyModel Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string folder = !CheckpointLayout.Exists(path) && CheckpointLayout.Exists(Path.Combine(path, "model")) ? Path.Combine(path, "model") : path;
        var reader = CheckpointReader.Open(folder);
        if (reader.Manifest.Method != CheckpointMethod)
            throw new GanSharpException($"{path} is a '{reader.Manifest.Method}' checkpoint, not an anomaly model",
                "pass the model folder written by `gansharp anomaly train` (<run>/model)");
        AnomalyModelInfo? info;
        try { info = reader.Manifest.Architecture.Deserialize<AnomalyModelInfo>(CheckpointManifest.JsonOptions); }
        catch (JsonException e) { throw new GanSharpException($"anomaly model {path}: its manifest's model info is not valid ({e.Message})", null, e); }
        if (info == null || string.IsNullOrEmpty(info.Method))
            throw new GanSharpException($"anomaly model {path}: the manifest has no model info");
        AnomalyDetectors.Get(info.Method);
        return new OpenedAnomalyModel(reader, info);
    }
}
