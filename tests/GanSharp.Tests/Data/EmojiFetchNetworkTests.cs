using GanSharp.Data;
using GanSharp.Tests.Imaging;

namespace GanSharp.Tests.Data;

/// <summary>Fetches the real package with npm; runs only when GANSHARP_NETWORK_TESTS=1 (it downloads ~74 MB).</summary>
public class EmojiFetchNetworkTests
{
    [EnvFact("GANSHARP_NETWORK_TESTS", "downloads ~74 MB with npm")]
    public void FetchesAndOpensTheGooglePackage()
    {
        using var dir = new TempDir();
        var ds = EmojiDataset.Download(EmojiStyle.Google, new EmojiDatasetOptions(Size: 32), dir.Path);
        Assert.True(ds.Count > 1800, $"{ds.Count} emoji");
        Assert.Equal(10, ds.ClassNames.Count);
        var px = new float[3 * 32 * 32];
        ds.CopyPixels(ds.IndexOf("1F600"), px);
        Assert.Contains(px, v => v < 0.5f);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir.Path, "emoji"), ".tmp-*"));
        Assert.Equal(ds.PackageFolder, EmojiFetcher.Ensure(EmojiStyle.Google, dir.Path)); // cached: no second download
    }
}
