using System.Text;
using System.Text.Json;
using GanSharp.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;

namespace GanSharp.Checkpoints;

/// <summary>
/// Opens a checkpoint written by <see cref="CheckpointWriter"/>: reads and checks the manifest, verifies every file's
/// size and SHA-256 up front, then loads weights, optimiser states and extras on request. Every problem a user can
/// meet (missing folder, corrupt or truncated file, newer format) is a <see cref="GanSharpException"/> naming the file.
/// </summary>
public sealed class CheckpointReader
{
    CheckpointReader(string folder, CheckpointManifest manifest)
    {
        Folder = folder;
        Manifest = manifest;
    }

    /// <summary>The folder actually read: the checkpoint itself, or its <c>.old</c> copy after an interrupted replacement.</summary>
    public string Folder { get; }

    /// <summary>The verified manifest.</summary>
    public CheckpointManifest Manifest { get; }

    /// <summary>
    /// Opens the checkpoint at <paramref name="path"/>. When a replacement was interrupted and only the previous copy
    /// (<c>&lt;path&gt;.old</c>) is complete, that copy is read and a warning logged. Temporary folders are ignored.
    /// </summary>
    /// <param name="path">The checkpoint folder.</param>
    /// <param name="verify">Whether to check every file's size and SHA-256 (default); skipping it only saves time.</param>
    public static CheckpointReader Open(string path, bool verify = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string? folder = CheckpointLayout.Locate(full);
        if (folder == null)
        {
            if (Directory.Exists(full))
                throw new GanSharpException($"checkpoint {path}: {CheckpointManifest.FileName} is missing",
                    "the folder is not a GanSharp checkpoint, or its write never completed");
            throw new GanSharpException($"checkpoint {path}: no such folder");
        }
        if (folder != full)
            Log.Warn($"checkpoint {path}: a replacement was interrupted; reading the previous copy {folder}");
        var manifest = ReadManifest(folder);
        var reader = new CheckpointReader(folder, manifest);
        if (verify) reader.Verify();
        return reader;
    }

    /// <summary>Reads and checks a manifest without verifying the files it lists.</summary>
    public static CheckpointManifest ReadManifest(string folder)
    {
        string file = Path.Combine(folder, CheckpointManifest.FileName);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GanSharpException($"checkpoint {folder}: cannot read {CheckpointManifest.FileName}: {e.Message}", null, e);
        }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Corrupt(file, "it is not a JSON object");
            if (!root.TryGetProperty("formatVersion", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
                throw Corrupt(file, "it has no integer formatVersion");
            if (version > CheckpointManifest.CurrentFormatVersion)
            {
                string by = root.TryGetProperty("ganSharpVersion", out var g) && g.ValueKind == JsonValueKind.String ? $" by GanSharp {g.GetString()}" : "";
                throw new GanSharpException(
                    $"checkpoint {folder}: format version {version} (written{by}) is newer than this build reads (up to {CheckpointManifest.CurrentFormatVersion})",
                    "upgrade GanSharp to load this checkpoint");
            }
            if (version < 1)
                throw new GanSharpException($"checkpoint {folder}: unknown format version {version} in {file}");
            var manifest = root.Deserialize<CheckpointManifest>(CheckpointManifest.JsonOptions)
                           ?? throw Corrupt(file, "it is null");
            CheckFields(file, manifest);
            return manifest;
        }
        catch (JsonException e)
        {
            throw Corrupt(file, $"it is not valid JSON ({e.Message})", e);
        }
    }

    static void CheckFields(string file, CheckpointManifest m)
    {
        if (string.IsNullOrEmpty(m.Method)) throw Corrupt(file, "method is missing");
        if (m.Files is null) throw Corrupt(file, "files is missing");
        if (m.Options.ValueKind != JsonValueKind.Object) throw Corrupt(file, "options is not a JSON object");
        if (m.Architecture.ValueKind == JsonValueKind.Undefined) throw Corrupt(file, "architecture is missing");
        foreach (var f in m.Files)
        {
            if (f is null || string.IsNullOrEmpty(f.Name) || string.IsNullOrEmpty(f.Sha256) || f.Bytes < 0 || !Enum.IsDefined(f.Kind))
                throw Corrupt(file, "a file entry is incomplete");
            if (CheckpointLayout.ResolveInside(".", f.Path ?? "") == null)
                throw Corrupt(file, $"file entry '{f.Path}' is not a relative path inside the checkpoint");
        }
    }

    static GanSharpException Corrupt(string file, string why, Exception? inner = null) =>
        new($"checkpoint manifest {file} is corrupt: {why}", "the checkpoint cannot be trusted; use an earlier one", inner);

    /// <summary>Checks that every listed file exists with the recorded size and SHA-256.</summary>
    public void Verify()
    {
        foreach (var entry in Manifest.Files)
        {
            string file = PathOf(entry);
            var info = new FileInfo(file);
            if (!info.Exists)
                throw new GanSharpException($"checkpoint {Folder}: file {entry.Path} is missing", "the checkpoint is incomplete; use an earlier one");
            if (info.Length != entry.Bytes)
                throw new GanSharpException($"checkpoint {Folder}: file {entry.Path} has {info.Length} bytes, the manifest says {entry.Bytes}",
                    "the file is truncated or was modified; use an earlier checkpoint");
            string sha = CheckpointLayout.Sha256Of(file);
            if (!string.Equals(sha, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new GanSharpException($"checkpoint {Folder}: file {entry.Path} fails its SHA-256 check (corrupt or modified)",
                    "use an earlier checkpoint");
        }
    }

    /// <summary>Whether the checkpoint holds a file of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public bool Has(CheckpointFileKind kind, string name) => Manifest.Find(kind, name) != null;

    /// <summary>
    /// Loads the weights saved as <paramref name="name"/> into <paramref name="module"/>, which must have the same
    /// architecture. With <paramref name="device"/> the module is first moved there, so the weights land on it.
    /// </summary>
    public void LoadModule(string name, torch.nn.Module module, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var entry = Require(CheckpointFileKind.Module, name);
        if (device != null) module.to(Platform.TorchRuntime.Concrete(device));
        string file = PathOf(entry);
        try { module.load(file, strict: true); }
        catch (Exception e) when (e is not GanSharpException and not OutOfMemoryException)
        {
            throw new GanSharpException($"checkpoint {Folder}: cannot load {entry.Path} into module '{name}': {e.Message}",
                "the network built does not match the saved one (architecture config or code changed)", e);
        }
    }

    /// <summary>
    /// Rebuilds network <paramref name="name"/> from the manifest's architecture config with the factory registered
    /// for the method (<see cref="CheckpointModelRegistry.Default"/> unless given), then loads its weights.
    /// </summary>
    public torch.nn.Module BuildModule(string name, CheckpointModelRegistry? registry = null, torch.Device? device = null)
    {
        Require(CheckpointFileKind.Module, name);
        var module = (registry ?? CheckpointModelRegistry.Default).Build(Manifest, name);
        LoadModule(name, module, device);
        return module;
    }

    /// <summary>
    /// Restores the optimiser state saved as <paramref name="name"/>. Create the optimiser over the loaded module's
    /// parameters on the target device first: the saved moments are copied into its own state tensors.
    /// </summary>
    public void LoadOptimizer(string name, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var entry = Require(CheckpointFileKind.Optimizer, name);
        try
        {
            using var stream = File.OpenRead(PathOf(entry));
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is not GanSharpException and not OutOfMemoryException)
        {
            throw new GanSharpException($"checkpoint {Folder}: cannot load optimiser state {entry.Path} into '{name}': {e.Message}",
                "the optimiser type or its parameters differ from the saved one", e);
        }
    }

    /// <summary>Reads the JSON extra <paramref name="name"/> (written by <see cref="CheckpointWriter.AddJson{T}"/>).</summary>
    public T ReadJson<T>(string name)
    {
        var entry = RequireExtra(name, json: true);
        try
        {
            using var stream = File.OpenRead(PathOf(entry));
            return JsonSerializer.Deserialize<T>(stream, CheckpointManifest.JsonOptions)
                   ?? throw new GanSharpException($"checkpoint {Folder}: {entry.Path} holds null");
        }
        catch (JsonException e)
        {
            throw new GanSharpException($"checkpoint {Folder}: {entry.Path} is not valid JSON for {typeof(T).Name}: {e.Message}", null, e);
        }
    }

    /// <summary>Reads the raw bytes of extra <paramref name="name"/>.</summary>
    public byte[] ReadBytes(string name) => File.ReadAllBytes(PathOf(RequireExtra(name, json: false)));

    /// <summary>Opens extra <paramref name="name"/> for reading; the caller disposes the stream.</summary>
    public Stream OpenExtra(string name) => File.OpenRead(PathOf(RequireExtra(name, json: false)));

    CheckpointFileEntry RequireExtra(string name, bool json)
    {
        var entry = Manifest.Find(CheckpointFileKind.Extra, name);
        if (entry == null) return Require(CheckpointFileKind.Extra, name);
        if (json && !entry.Path.EndsWith(".json", StringComparison.Ordinal))
            throw new GanSharpException($"checkpoint {Folder}: extra '{name}' ({entry.Path}) is not a JSON extra");
        return entry;
    }

    CheckpointFileEntry Require(CheckpointFileKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Manifest.Find(kind, name) ?? throw new GanSharpException(
            $"checkpoint {Folder}: no {kind.ToString().ToLowerInvariant()} named '{name}'",
            Manifest.Files.Count == 0 ? "its manifest lists no files: the checkpoint is empty or damaged"
                : $"it holds: {string.Join(", ", Manifest.Files.Select(f => $"{f.Kind.ToString().ToLowerInvariant()} {f.Name}"))}");
    }

    string PathOf(CheckpointFileEntry entry) => CheckpointLayout.ResolveInside(Folder, entry.Path)!;
}
