using System.Formats.Tar;
using System.IO.Compression;
using GanSharp.Diagnostics;

namespace GanSharp.Data;

/// <summary>
/// Downloads an emoji-datasource package with <c>npm pack</c> and extracts the parts the datasets use
/// (<c>emoji.json</c>, licence and the 64 px images) into the cache folder. Extraction uses .NET's
/// <see cref="TarReader"/> over a <see cref="GZipStream"/> into a temporary folder that is renamed into place,
/// so a cache folder is either absent or complete.
/// </summary>
public static class EmojiFetcher
{
    /// <summary>The package version fetched.</summary>
    public const string Version = "16.0.0";

    /// <summary><c>$GANSHARP_CACHE</c>, or <c>~/.cache/gansharp</c>.</summary>
    public static string DefaultCacheRoot() => Platform.UserCache.Root();

    /// <summary>The extracted <c>package</c> folder of <paramref name="style"/> under the cache root.</summary>
    public static string PackageFolder(EmojiStyle style, string? cacheRoot = null) =>
        Path.Combine(cacheRoot ?? DefaultCacheRoot(), "emoji", $"{style.PackageName()}-{Version}", "package");

    /// <summary>True when the package is already extracted.</summary>
    public static bool IsCached(EmojiStyle style, string? cacheRoot = null) =>
        File.Exists(Path.Combine(PackageFolder(style, cacheRoot), "emoji.json"));

    /// <summary>
    /// Returns the extracted <c>package</c> folder of <paramref name="style"/>, fetching it with npm first when it is not cached.
    /// </summary>
    public static string Ensure(EmojiStyle style, string? cacheRoot = null, TimeSpan? timeout = null)
    {
        string package = PackageFolder(style, cacheRoot);
        if (IsCached(style, cacheRoot)) return package;
        string final = Path.GetDirectoryName(package)!;
        string spec = $"{style.PackageName()}@{Version}";
        int files = 0;
        CacheFolder.Build(final, () => IsCached(style, cacheRoot), work =>
        {
            Log.Info($"fetching {spec} with npm pack into {Path.GetDirectoryName(final)}");
            string tgz = NpmPack(spec, work, timeout ?? TimeSpan.FromMinutes(15));
            string staged = Path.Combine(work, "extracted");
            string imageFolder = $"img/{style.Key()}/64/";
            files = ExtractTgz(tgz, staged, rel =>
                rel is "package/emoji.json" or "package/package.json" or "package/LICENSE" or "package/README.md" or "package/categories.json"
                || rel.StartsWith("package/" + imageFolder, StringComparison.Ordinal));
            if (!File.Exists(Path.Combine(staged, "package", "emoji.json")))
                throw new GanSharpException($"The npm package {spec} has no package/emoji.json; it is not an emoji-datasource package.");
            return staged;
        });
        Log.Info($"extracted {files} files of {spec} to {final}");
        return package;
    }

    /// <summary>Runs <c>npm pack &lt;spec&gt;</c> in <paramref name="folder"/>; returns the path of the .tgz it wrote.</summary>
    static string NpmPack(string spec, string folder, TimeSpan timeout)
    {
        ExternalTool.Run("npm", new[] { "pack", spec }, folder, timeout,
            "Install Node.js/npm (Debian: apt-get install npm), or download the package yourself and open its package/ folder with EmojiDataset.Open.",
            "Check the network connection to the npm registry and the npm configuration.");
        var tgzs = Directory.GetFiles(folder, "*.tgz");
        if (tgzs.Length != 1) throw new GanSharpException($"npm pack {spec} finished but wrote {tgzs.Length} .tgz files in '{folder}'.");
        return tgzs[0];
    }

    /// <summary>
    /// Extracts the regular files of a .tgz whose '/'-separated entry path satisfies <paramref name="include"/>
    /// (all when null) below <paramref name="destination"/>. Entries that would land outside it (absolute paths, '..')
    /// and links are refused. Returns the number of files written.
    /// </summary>
    public static int ExtractTgz(string tgzPath, string destination, Func<string, bool>? include = null)
    {
        string root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        int count = 0;
        try
        {
            using var file = File.OpenRead(tgzPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            for (var entry = reader.GetNextEntry(); entry != null; entry = reader.GetNextEntry())
            {
                string name = entry.Name.Replace('\\', '/');
                if (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (include != null && !include(name)) continue;
                string target = Path.GetFullPath(Path.Combine(root, name));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new GanSharpException($"Archive '{tgzPath}' has an entry outside its folder: '{entry.Name}'; refused.");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var output = new FileStream(target, FileMode.Create, FileAccess.Write))
                    entry.DataStream?.CopyTo(output);
                count++;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new GanSharpException($"Archive '{tgzPath}' is corrupt or truncated: {e.Message}", "Delete it and fetch again.", e);
        }
        return count;
    }
}
