using GanSharp.Imaging;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.Imaging;

public class ImageFilesTests
{
    [Fact]
    public void ShardsOfAFolderAreDisjointCoverItAndKeepTheirPositions()
    {
        using var dir = new TempFolder();
        foreach (var name in new[] { "e.png", "a.png", "c.jpg", "b.PNG", "d.png", "notes.txt" })
            File.WriteAllText(Path.Combine(dir.Path, name), "x");
        var all = ImageFiles.List(dir.Path, "--images");
        Assert.Equal(new[] { "a.png", "b.PNG", "c.jpg", "d.png", "e.png" }, all.Select(p => Path.GetFileName(p.File)));
        Assert.Equal(Enumerable.Range(0, 5), all.Select(p => p.Position));
        var shards = Enumerable.Range(0, 3).Select(k => ImageFiles.List(dir.Path, "--images", new Shard(k, 3))).ToArray();
        Assert.Equal(new[] { 0, 3 }, shards[0].Select(p => p.Position));
        Assert.Equal(new[] { 1, 4 }, shards[1].Select(p => p.Position));
        Assert.Equal(new[] { 2 }, shards[2].Select(p => p.Position));
        Assert.Equal(all, shards.SelectMany(s => s).OrderBy(p => p.Position));
        var e = Assert.Throws<GanSharpException>(() => ImageFiles.List(dir.Path, "--images", new Shard(6, 7)));
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [InlineData("2/4", 2, 4)]
    [InlineData("0/1", 0, 1)]
    [InlineData(null, 0, 1)]
    public void ParsesKOverN(string? text, int k, int n)
    {
        var s = Shard.Parse(text);
        Assert.Equal((k, n), (s.Index, s.Count));
        Assert.Equal(n == 1 ? "" : $"-shard{k}of{n}", s.Suffix);
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/3")]
    [InlineData("1/0")]
    [InlineData("1-3")]
    [InlineData("a/b")]
    public void RefusesABadShard(string text) =>
        Assert.Contains("K/N", Assert.Throws<GanSharpException>(() => Shard.Parse(text)).Message);
}
