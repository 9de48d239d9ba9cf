using System.Text;
using System.Text.Json;
using GanSharp.IO;
using GanSharp.Platform;
using TorchSharp;
using TorchSharp.Modules;

namespace GanSharp.Checkpoints;

/// <summary>
/// Writes one checkpoint folder atomically. Each <c>Add…</c> call saves its piece at once into a temporary folder
/// beside the target (so it captures the state at the time of the call); <see cref="Commit"/> writes the manifest,
/// flushes everything to disk and renames the folder into place. A process killed at any point leaves either the
/// previous checkpoint or the new one under the target name (or its <c>.old</c> copy, see
/// <see cref="CheckpointLayout"/>), never a partial one. Disposing without committing deletes the temporary folder.
/// </summary>
/// <remarks>Not thread-safe; two writers must not target the same path at the same time.</remarks>
public sealed class CheckpointWriter : IDisposable
{
    readonly string target;
    readonly string temp;
    readonly string method;
    readonly long step;
    readonly JsonElement options;
    readonly JsonElement architecture;
    readonly List<CheckpointFileEntry> files = new();
    bool committed;
    bool disposed;

    /// <summary>Starts a checkpoint that will be published at <paramref name="path"/>.</summary>
    /// <param name="path">The checkpoint folder to create or replace.</param>
    /// <param name="method">The method name, used on load to find the model factory.</param>
    /// <param name="step">The training step.</param>
    /// <param name="options">The resolved options, a JSON object.</param>
    /// <param name="architecture">The architecture config from which the method rebuilds its networks.</param>
    public CheckpointWriter(string path, string method, long step, JsonElement options, JsonElement architecture)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckpointLayout.ValidateName(method, "method");
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (options.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"options must be a JSON object, not {options.ValueKind}", nameof(options));
        if (architecture.ValueKind is JsonValueKind.Undefined)
            throw new ArgumentException("architecture config is missing", nameof(architecture));
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        this.method = method;
        this.step = step;
        this.options = options.Clone();
        this.architecture = architecture.Clone();
        string parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{path}: no parent folder", nameof(path));
        Directory.CreateDirectory(parent);
        temp = Path.Combine(parent, "." + Path.GetFileName(target) + AtomicFile.TempMarker + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
    }

    /// <summary>Serialises <paramref name="value"/> (options or architecture record) to a JSON element with the manifest's settings.</summary>
    public static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value, CheckpointManifest.JsonOptions);

    /// <summary>The folder the checkpoint is published at.</summary>
    public string TargetPath => target;

    /// <summary>Saves the parameters and buffers of <paramref name="module"/> as <c>modules/&lt;name&gt;.bin</c>.</summary>
    public void AddModule(string name, torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Add(CheckpointFileKind.Module, name, $"modules/{name}.bin", stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            module.save(writer);
            writer.Flush();
        });
    }

    /// <summary>Saves the state of <paramref name="optimizer"/> (moments, step counts, options) as <c>optimizers/&lt;name&gt;.bin</c>.</summary>
    public void AddOptimizer(string name, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Add(CheckpointFileKind.Optimizer, name, $"optimizers/{name}.bin", stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
            writer.Flush();
        });
    }

    /// <summary>Saves <paramref name="value"/> as JSON in <c>extras/&lt;name&gt;.json</c> (e.g. data position, RNG seeds).</summary>
    public void AddJson<T>(string name, T value) =>
        Add(CheckpointFileKind.Extra, name, $"extras/{name}.json", stream => JsonSerializer.Serialize(stream, value, CheckpointManifest.JsonOptions));

    /// <summary>Saves raw bytes in <c>extras/&lt;name&gt;</c> (e.g. an RNG state tensor).</summary>
    public void AddBytes(string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Add(CheckpointFileKind.Extra, name, $"extras/{name}", stream => stream.Write(bytes, 0, bytes.Length));
    }

    /// <summary>Saves whatever <paramref name="write"/> writes in <c>extras/&lt;name&gt;</c>; the callback must not dispose the stream.</summary>
    public void AddFile(string name, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Add(CheckpointFileKind.Extra, name, $"extras/{name}", write);
    }

    /// <summary>Copies one file of another (verified) checkpoint byte for byte, under the same kind, name and path.</summary>
    public void Copy(CheckpointReader source, CheckpointFileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(entry);
        string from = CheckpointLayout.ResolveInside(source.Folder, entry.Path)
            ?? throw new GanSharpException($"checkpoint {source.Folder}: file '{entry.Path}' lies outside the folder");
        Add(entry.Kind, entry.Name, entry.Path, stream =>
        {
            using var input = File.OpenRead(from);
            input.CopyTo(stream);
        });
    }

    void Add(CheckpointFileKind kind, string name, string relative, Action<Stream> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed) throw new InvalidOperationException("checkpoint already committed");
        CheckpointLayout.ValidateName(name, kind.ToString().ToLowerInvariant());
        if (files.Any(f => f.Kind == kind && f.Name == name) || files.Any(f => f.Path == relative))
            throw new ArgumentException($"{kind} '{name}' was already added to this checkpoint", nameof(name));
        string file = CheckpointLayout.ResolveInside(temp, relative)!;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        files.Add(new CheckpointFileEntry(name, kind, relative, new FileInfo(file).Length, CheckpointLayout.Sha256Of(file)));
    }

    /// <summary>
    /// Writes the manifest, flushes the folder to disk and publishes it at <see cref="TargetPath"/>, replacing any
    /// previous checkpoint there. Stale temporary folders of earlier interrupted writes to the same path are removed.
    /// </summary>
    /// <returns>The manifest written.</returns>
    public CheckpointManifest Commit()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed) throw new InvalidOperationException("checkpoint already committed");
        var manifest = new CheckpointManifest(
            CheckpointManifest.CurrentFormatVersion, method, step, DateTime.UtcNow,
            DoctorReport.VersionOf(typeof(CheckpointWriter).Assembly), DoctorReport.VersionOf(typeof(torch).Assembly),
            options, architecture, files.ToArray());
        using (var stream = new FileStream(Path.Combine(temp, CheckpointManifest.FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, manifest, CheckpointManifest.JsonOptions);
            stream.Flush(flushToDisk: true);
        }
        foreach (var dir in Directory.EnumerateDirectories(temp)) FileSync.Directory(dir);
        FileSync.Directory(temp);

        string old = CheckpointLayout.OldPathOf(target);
        if (Directory.Exists(target))
        {
            // The target only ever appears by renaming a complete folder, so when it exists any .old is stale.
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            Directory.Move(target, old);
        }
        Directory.Move(temp, target);
        FileSync.ParentOf(target);
        committed = true;
        if (Directory.Exists(old)) CheckpointLayout.TryDeleteDirectory(old);
        CheckpointLayout.DeleteStaleTemps(target);
        return manifest;
    }

    /// <summary>Deletes the temporary folder unless the checkpoint was committed.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!committed && Directory.Exists(temp)) CheckpointLayout.TryDeleteDirectory(temp);
    }
}
