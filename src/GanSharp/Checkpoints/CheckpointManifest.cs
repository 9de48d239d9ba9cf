using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanSharp.Checkpoints;

/// <summary>What a file inside a checkpoint holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckpointFileKind>))]
public enum CheckpointFileKind
{
    /// <summary>Module weights saved by TorchSharp's <c>Module.save</c>.</summary>
    Module,

    /// <summary>An optimiser's state saved by TorchSharp's <c>save_state_dict</c> (moments, step counts, options).</summary>
    Optimizer,

    /// <summary>Anything else the method keeps: RNG state, data position, EMA weights, JSON blobs.</summary>
    Extra,
}

/// <summary>One file of a checkpoint as listed in its manifest.</summary>
/// <param name="Name">The logical name the method uses (e.g. <c>generator</c>, <c>rng</c>); unique within its kind.</param>
/// <param name="Kind">What the file holds.</param>
/// <param name="Path">Path relative to the checkpoint folder, with forward slashes.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
public sealed record CheckpointFileEntry(string Name, CheckpointFileKind Kind, string Path, long Bytes, string Sha256);

/// <summary>
/// The <c>manifest.json</c> of a checkpoint: enough to rebuild the model (<see cref="Architecture"/>), to know how it
/// was trained (<see cref="Options"/>), and to verify every file before anything is loaded.
/// </summary>
/// <param name="FormatVersion">Layout version of the checkpoint; see <see cref="CurrentFormatVersion"/>.</param>
/// <param name="Method">The method that wrote it (e.g. <c>dcgan</c>); selects the model factory on load.</param>
/// <param name="Step">Training step at which it was taken.</param>
/// <param name="CreatedUtc">When it was written (UTC).</param>
/// <param name="GanSharpVersion">GanSharp version that wrote it.</param>
/// <param name="TorchSharpVersion">TorchSharp version that wrote it.</param>
/// <param name="Options">The method's resolved options as a JSON object.</param>
/// <param name="Architecture">The architecture config from which the method's factory rebuilds its networks.</param>
/// <param name="Files">Every file of the checkpoint except the manifest itself.</param>
public sealed record CheckpointManifest(
    int FormatVersion,
    string Method,
    long Step,
    DateTime CreatedUtc,
    string GanSharpVersion,
    string TorchSharpVersion,
    JsonElement Options,
    JsonElement Architecture,
    IReadOnlyList<CheckpointFileEntry> Files)
{
    /// <summary>The format this build writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>File name of the manifest inside a checkpoint folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>JSON settings of the manifest: camelCase names, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The entry of kind <paramref name="kind"/> named <paramref name="name"/>, or null.</summary>
    public CheckpointFileEntry? Find(CheckpointFileKind kind, string name) =>
        Files.FirstOrDefault(f => f.Kind == kind && string.Equals(f.Name, name, StringComparison.Ordinal));
}
