using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GanSharp.IO;

namespace GanSharp.Checkpoints;

/// <summary>
/// Where the pieces of a checkpoint live on disk and how an interrupted replacement is recognised.
/// A checkpoint <c>X</c> is replaced as: write <c>.X.tmp-&lt;guid&gt;</c>, rename <c>X</c> to <c>X.old</c>, rename the
/// temporary folder to <c>X</c>, delete <c>X.old</c>. A crash between the two renames leaves only <c>X.old</c>,
/// which is complete, so readers fall back to it.
/// </summary>
public static partial class CheckpointLayout
{
    /// <summary>Suffix of the previous copy kept for the instant of a replacement.</summary>
    public const string OldSuffix = ".old";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex NamePattern();

    /// <summary>The path of the previous copy of checkpoint <paramref name="path"/> during a replacement.</summary>
    public static string OldPathOf(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + OldSuffix;

    /// <summary>Whether a folder holds a manifest (renames are atomic, so a manifest means a complete checkpoint).</summary>
    public static bool HasManifest(string folder) => File.Exists(Path.Combine(folder, CheckpointManifest.FileName));

    /// <summary>
    /// The folder to read for checkpoint <paramref name="path"/>: the path itself when complete, else its
    /// <c>.old</c> copy left by a replacement that was interrupted, else null.
    /// </summary>
    public static string? Locate(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (HasManifest(full)) return full;
        string old = OldPathOf(full);
        return HasManifest(old) ? old : null;
    }

    /// <summary>Whether a complete checkpoint can be read at <paramref name="path"/> (directly or through its <c>.old</c> copy).</summary>
    public static bool Exists(string path) => Locate(path) != null;

    /// <summary>
    /// Deletes temporary folders that an interrupted write of checkpoint <paramref name="path"/> left beside it.
    /// Only the owner of the folder (the writer, the run that resumes) should call this: it would also remove the
    /// temporary folder of a write in progress in another process.
    /// </summary>
    /// <returns>The folders removed.</returns>
    public static IReadOnlyList<string> DeleteStaleTemps(string path, string? except = null)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return Array.Empty<string>();
        string prefix = "." + Path.GetFileName(full) + AtomicFile.TempMarker;
        var removed = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            if (except != null && string.Equals(Path.GetFullPath(dir), Path.GetFullPath(except), StringComparison.Ordinal)) continue;
            if (TryDeleteDirectory(dir)) removed.Add(dir);
        }
        return removed;
    }

    /// <summary>Checks that a logical file name is short and safe as a file name.</summary>
    internal static void ValidateName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NamePattern().IsMatch(name) || name.EndsWith(OldSuffix, StringComparison.Ordinal))
            throw new ArgumentException($"{what} name '{name}' must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit", nameof(name));
    }

    /// <summary>
    /// Resolves a manifest's relative path inside <paramref name="folder"/>, refusing absolute paths and <c>..</c>
    /// so that a crafted manifest cannot point outside its checkpoint.
    /// </summary>
    internal static string? ResolveInside(string folder, string relative)
    {
        if (string.IsNullOrEmpty(relative) || Path.IsPathRooted(relative) || relative.Contains('\\')) return null;
        if (relative.Split('/').Any(p => p is "" or "." or "..")) return null;
        return Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    internal static string Sha256Of(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static bool TryDeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
