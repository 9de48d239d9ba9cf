using GanSharp.Diagnostics;

namespace GanSharp.Data;

/// <summary>
/// The photographs dataset (<c>photos</c>): the natural-image sample photographs that scikit-image ships (astronaut,
/// coffee, chelsea, rocket, …), taken from Debian's <c>python3-skimage</c> package with <c>apt-get download</c> and
/// <c>dpkg-deb -x</c> (no root, no Python). They are GanSharp's out-of-domain inputs: nothing is trained on them.
/// The extraction goes to a temporary folder renamed into place, so the cache folder is either absent or complete.
/// </summary>
public static class PhotoFetcher
{
    /// <summary>The Debian package the photographs come from.</summary>
    public const string Package = "python3-skimage";

    /// <summary>The photographs kept (file names in <c>skimage/data</c>): photographs only, no synthetic test patterns.</summary>
    public static IReadOnlyList<string> Files { get; } = new[]
    {
        "astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png", "grass.png", "gravel.png",
        "hubble_deep_field.jpg", "ihc.png", "moon.png", "motorcycle_left.png", "motorcycle_right.png", "page.png", "retina.jpg", "rocket.jpg",
    };

    /// <summary>Where the photographs are credited from.</summary>
    public const string Credit = "scikit-image sample data (Debian package python3-skimage); per-image sources and licences in its data/README.txt";

    /// <summary>The folder of the extracted photographs under the cache root.</summary>
    public static string Folder(string? cacheRoot = null) => Path.Combine(cacheRoot ?? EmojiFetcher.DefaultCacheRoot(), "photos", "skimage");

    /// <summary>True when every photograph is already extracted.</summary>
    public static bool IsCached(string? cacheRoot = null) => Files.All(f => File.Exists(Path.Combine(Folder(cacheRoot), f)));

    /// <summary>Returns the photographs folder, fetching the package first when it is not cached.</summary>
    public static string Ensure(string? cacheRoot = null, TimeSpan? timeout = null)
    {
        string final = Folder(cacheRoot);
        if (IsCached(cacheRoot)) return final;
        CacheFolder.Build(final, () => IsCached(cacheRoot), work =>
        {
            var limit = timeout ?? TimeSpan.FromMinutes(10);
            Log.Info($"fetching {Package} with apt-get download into {Path.GetDirectoryName(final)}");
            ExternalTool.Run("apt-get", new[] { "download", Package }, work, limit,
                "The photographs come from Debian's python3-skimage package: run on a Debian/Ubuntu machine with apt-get, or use folder:PATH with your own photographs.",
                "Check the apt sources (apt-get update) and the network connection to the package mirror.");
            var debs = Directory.GetFiles(work, "*.deb");
            if (debs.Length != 1) throw new GanSharpException($"apt-get download {Package} finished but wrote {debs.Length} .deb files in '{work}'.");
            string unpacked = Path.Combine(work, "unpacked");
            ExternalTool.Run("dpkg-deb", new[] { "-x", debs[0], unpacked }, work, limit,
                "dpkg-deb (Debian package dpkg) is needed to unpack the .deb.", $"The package file '{debs[0]}' may be corrupt; delete the cache and fetch again.");
            var data = Directory.GetDirectories(unpacked, "data", SearchOption.AllDirectories)
                .FirstOrDefault(d => Path.GetFileName(Path.GetDirectoryName(d)) == "skimage" && File.Exists(Path.Combine(d, "astronaut.png")))
                ?? throw new GanSharpException($"{Package} has no skimage/data folder with the sample photographs; its layout changed.");
            string staged = Path.Combine(work, "skimage");
            Directory.CreateDirectory(staged);
            foreach (var f in Files.Append("README.txt"))
            {
                string source = Path.Combine(data, f);
                if (!File.Exists(source)) throw new GanSharpException($"{Package}: skimage/data/{f} is missing; its layout changed.");
                File.Copy(source, Path.Combine(staged, f));
            }
            return staged;
        });
        Log.Info($"extracted {Files.Count} photographs to {final}");
        return final;
    }
}
