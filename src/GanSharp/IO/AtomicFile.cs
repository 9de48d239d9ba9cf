using System.Text;

namespace GanSharp.IO;

/// <summary>
/// Replaces a file so that readers (and a crash) see either the complete old content or the complete new content,
/// never a mix: the content goes to a temporary file in the same folder, is flushed to disk, then renamed over the
/// target. If writing fails, the temporary file is deleted and the old file is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Marker in the names of temporary files: <c>.&lt;name&gt;.tmp-&lt;guid&gt;</c>.</summary>
    public const string TempMarker = ".tmp-";

    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Atomically writes <paramref name="contents"/> as UTF-8 (no BOM) to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        WriteAllBytes(path, Utf8NoBom.GetBytes(contents));
    }

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, s => s.Write(bytes, 0, bytes.Length));
    }

    /// <summary>
    /// Atomically writes whatever <paramref name="write"/> puts into the stream it is given. The stream is a fresh
    /// file; the callback must not dispose it. An exception from the callback propagates after the temporary file
    /// is removed; the target keeps its old content (or stays absent).
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: no parent folder", nameof(path));
        Directory.CreateDirectory(folder);
        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new GanSharpException($"cannot write {path}: {e.Message}", null, e);
            throw;
        }
        FileSync.Directory(folder);
    }

    /// <summary>A fresh temporary path beside <paramref name="path"/>, hidden and recognisable as temporary.</summary>
    public static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        return Path.Combine(folder, "." + Path.GetFileName(full) + TempMarker + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Whether <paramref name="name"/> (a file or folder name) is one of the temporary names used here.</summary>
    public static bool IsTempName(string name) => name.StartsWith('.') && name.Contains(TempMarker, StringComparison.Ordinal);

    static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
