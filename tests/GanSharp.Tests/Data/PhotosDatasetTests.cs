using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Tests.Imaging;
using SkiaSharp;

namespace GanSharp.Tests.Data;

/// <summary>The <c>photos</c> dataset over a cache folder laid out as <see cref="PhotoFetcher"/> leaves it (no download here).</summary>
public class PhotosDatasetTests
{
    [Fact]
    public void AMissingCacheIsRefusedWithTheFetchCommandWhenDownloadsAreOff()
    {
        using var dir = new TempDir();
        Assert.False(PhotoFetcher.IsCached(dir.Path));
        var e = Assert.Throws<GanSharpException>(() => DatasetResolver.Resolve("photos", new DatasetResolveOptions(32, CacheRoot: dir.Path)));
        Assert.Contains("not in the cache", e.Message);
        Assert.Contains("gansharp data fetch photos", e.Hint);
    }

    [Fact]
    public void ACompleteCacheResolvesToEveryPhotographCentreCroppedToTheSide()
    {
        using var dir = new TempDir();
        string folder = PhotoFetcher.Folder(dir.Path);
        foreach (var f in PhotoFetcher.Files)
            TestImages.Write(Path.Combine(folder, f), 40, 24, (x, _) => new SKColor((byte)(x * 6), 90, 30),
                f.EndsWith(".jpg", StringComparison.Ordinal) ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png);
        File.WriteAllText(Path.Combine(folder, "README.txt"), "credits");
        Assert.True(PhotoFetcher.IsCached(dir.Path));
        var ds = DatasetResolver.Resolve("photos", new DatasetResolveOptions(16, ImageMode.Gray, CacheRoot: dir.Path));
        Assert.Equal(PhotoFetcher.Files.Count, ds.Count);
        Assert.Equal((1, 16, 16), (ds.Channels, ds.Height, ds.Width));
        // One photograph missing: no longer cached, so the resolver asks for a fetch instead of opening a partial set.
        File.Delete(Path.Combine(folder, PhotoFetcher.Files[3]));
        Assert.False(PhotoFetcher.IsCached(dir.Path));
        Assert.Throws<GanSharpException>(() => DatasetResolver.Resolve("photos", new DatasetResolveOptions(16, CacheRoot: dir.Path)));
    }
}
