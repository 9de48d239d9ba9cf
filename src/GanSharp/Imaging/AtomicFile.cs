namespace GanSharp.Imaging;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a partial file:
/// the bytes go to a hidden temporary file in the same folder (same file system), which is then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The prefix of temporary files, so that leftovers of a killed process are recognisable.</summary>
    public const string TempPrefix = ".gansharp-tmp-";

    /// <summary>Writes through <paramref name="write"/> into a temporary file and renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new GanSharpException($"Cannot write '{path}': it has no parent folder.");
        string tmp = Path.Combine(dir, TempPrefix + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(dir);
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (e is IOException or UnauthorizedAccessException)
                throw new GanSharpException($"Cannot write '{path}': {e.Message}", null, e);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
