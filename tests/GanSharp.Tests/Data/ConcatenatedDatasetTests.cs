using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class ConcatenatedDatasetTests
{
    /// <summary>A dataset with chosen class names and labels; every pixel of item i holds <c>value + i</c>.</summary>
    sealed class Labelled(string name, string[] classNames, int[] labels, float value, int size = 2, int channels = 1) : IImageDataset
    {
        public string Name => name;
        public int Count => labels.Length;
        public int Channels => channels;
        public int Height => size;
        public int Width => size;
        public IReadOnlyList<string> ClassNames => classNames;
        public void CopyPixels(int index, Span<float> destination) => destination[..(channels * size * size)].Fill(value + index);
        public int LabelOf(int index) => labels[index];
        public string IdOf(int index) => "#" + index;
    }

    static float Pixel(IImageDataset d, int i)
    {
        var px = new float[d.Channels * d.Height * d.Width];
        d.CopyPixels(i, px);
        return px[0];
    }

    static string[] LabelNames(IImageDataset d) => Enumerable.Range(0, d.Count).Select(i => d.ClassNames[d.LabelOf(i)]).ToArray();

    [Fact]
    public void ChainsPartsAndMapsLabelsByNameOntoTheUnion()
    {
        var a = new Labelled("a", new[] { "face", "keycap" }, new[] { 1, 0, 0 }, 10);
        var b = new Labelled("b", new[] { "animal", "face" }, new[] { 0, 1 }, 20);
        var ab = DatasetViews.Combine(new IImageDataset[] { a, b });
        Assert.Equal("a+b", ab.Name);
        Assert.Equal(5, ab.Count);
        Assert.Equal(new[] { "animal", "face", "keycap" }, ab.ClassNames); // the ordinal union
        Assert.Equal(new[] { "keycap", "face", "face", "animal", "face" }, LabelNames(ab));
        Assert.Equal(new[] { 2, 1, 1, 0, 1 }, Enumerable.Range(0, 5).Select(ab.LabelOf));
        Assert.Equal(new[] { 10f, 11f, 12f, 20f, 21f }, Enumerable.Range(0, 5).Select(i => Pixel(ab, i)));
        Assert.Equal("b/#1", ab.IdOf(4)); // ids repeat across parts, so they are prefixed
        Assert.Equal((1, 0), ab.Locate(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ab.LabelOf(5));
    }

    [Fact]
    public void KeepsACommonClassListAndSkipsEmptyParts()
    {
        var names = new[] { "z", "a" }; // not ordinal: a common list is kept as it is
        var a = new Labelled("a", names, new[] { 0, 1 }, 0);
        var empty = new Labelled("e", names, Array.Empty<int>(), 50);
        var b = new Labelled("b", names, new[] { 1 }, 100);
        var all = DatasetViews.Combine(new IImageDataset[] { empty, a, empty, b });
        Assert.Equal(names, all.ClassNames);
        Assert.Equal(new[] { 0, 1, 1 }, Enumerable.Range(0, 3).Select(all.LabelOf));
        Assert.Equal(new[] { 0f, 1f, 100f }, Enumerable.Range(0, 3).Select(i => Pixel(all, i)));
    }

    [Fact]
    public void AlignClassesRemapsAValidationSetOntoTheTrainingClasses()
    {
        var train = new Labelled("train", new[] { "animal", "face", "keycap" }, new[] { 0, 1, 2 }, 0);
        var held = new Labelled("held", new[] { "face", "keycap" }, new[] { 1, 0 }, 0);
        var aligned = held.AlignClasses(train.ClassNames);
        Assert.Equal(train.ClassNames, aligned.ClassNames);
        Assert.Equal(new[] { 2, 1 }, Enumerable.Range(0, 2).Select(aligned.LabelOf));
        Assert.Equal("#0", aligned.IdOf(0)); // one part: ids unchanged
        Assert.Same(train, train.AlignClasses(new[] { "animal", "face", "keycap" }));
        var e = Assert.Throws<GanSharpException>(() => train.AlignClasses(new[] { "face", "keycap" }));
        Assert.Contains("'animal'", e.Message);
    }

    [Fact]
    public void RefusesMismatchedShapesMixedLabellingAndDuplicateNames()
    {
        var a = new Labelled("a", new[] { "x", "y" }, new[] { 0 }, 0);
        Assert.Throws<GanSharpException>(() => DatasetViews.Combine(new IImageDataset[] { a, new Labelled("b", new[] { "x", "y" }, new[] { 0 }, 0, size: 3) }));
        Assert.Throws<GanSharpException>(() => DatasetViews.Combine(new IImageDataset[] { a, new Labelled("b", new[] { "x", "y" }, new[] { 0 }, 0, channels: 3) }));
        Assert.Throws<GanSharpException>(() => DatasetViews.Combine(new IImageDataset[] { a, new SyntheticDataset(2, size: 2, classes: 0) }));
        Assert.Throws<GanSharpException>(() => DatasetViews.Combine(Array.Empty<IImageDataset>()));
        Assert.Throws<GanSharpException>(() => DatasetViews.Combine(new IImageDataset[] { a }, new[] { "x", "y", "x" }));
        var unlabelled = DatasetViews.Combine(new IImageDataset[] { new SyntheticDataset(2, classes: 0), new SyntheticDataset(3, classes: 0) });
        Assert.Empty(unlabelled.ClassNames);
        Assert.Equal(-1, unlabelled.LabelOf(4));
    }

    [Fact]
    public void APlusSpecResolvesToBothDatasetsInTurn()
    {
        var o = new DatasetResolveOptions(Size: 32, BundledRoot: Path.Combine(Cli.DataCommandTests.Assets, "samples"));
        var google = DatasetResolver.Resolve("bundled:emoji:google:train", o);
        var twitter = DatasetResolver.Resolve("bundled:emoji:twitter:train", o);
        var both = DatasetResolver.Resolve("bundled:emoji:google:train + bundled:emoji:twitter:train", o);
        Assert.Equal(google.Count + twitter.Count, both.Count);
        Assert.Equal(google.Name + "+" + twitter.Name, both.Name);
        Assert.Equal(google.Name + "/" + google.IdOf(0), both.IdOf(0));
        Assert.Equal(twitter.Name + "/" + twitter.IdOf(twitter.Count - 1), both.IdOf(both.Count - 1));
        var px = new float[3 * 32 * 32];
        var expected = new float[px.Length];
        both.CopyPixels(google.Count, px);
        twitter.CopyPixels(0, expected);
        Assert.Equal(expected, px);
    }

    [Fact]
    public void APlusSplitsOnlyBetweenDatasetSpecsAndEachPartOnce()
    {
        Assert.Equal(new[] { "emoji:google:train", "emoji:twitter:train" }, DatasetResolver.CombinedParts("emoji:google:train+emoji:twitter:train"));
        Assert.Null(DatasetResolver.CombinedParts("folder:/data/owner+name"));   // a path with '+' stays one folder
        Assert.Null(DatasetResolver.CombinedParts("emoji:google"));
        Assert.True(DatasetResolver.IsInstalledSpec("emoji:google:train+emoji:twitter:train"));
        Assert.False(DatasetResolver.IsInstalledSpec("emoji:google:train+bundled:emoji:twitter"));
        Assert.False(DatasetResolver.IsInstalledSpec("emoji:google:nope"));
        var o = new DatasetResolveOptions(Size: 32, BundledRoot: Path.Combine(Cli.DataCommandTests.Assets, "samples"));
        var e = Assert.Throws<GanSharpException>(() => DatasetResolver.Resolve("bundled:emoji:google+bundled:emoji:google", o));
        Assert.Contains("named twice", e.Message);
        var sizes = Assert.Throws<GanSharpException>(() => DatasetResolver.Resolve("bundled:emoji:google+bundled:fashion-mnist", o));
        Assert.Contains("1x", sizes.Message);
    }
}
