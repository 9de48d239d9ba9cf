using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class FashionMnistTests
{
    [Fact]
    public void LoadsFromAGivenFolderAndFiltersAClass()
    {
        using var dir = new TempFolder();
        dir.Write("t10k-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Images(20, 28, 28)));
        dir.Write("t10k-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Labels(20)));

        var test = FashionMnist.Load(new FashionMnistOptions(dir.Path, DatasetSplit.Test));
        Assert.Equal("fashion-mnist:test", test.Name);
        Assert.Equal((20, 1, 28, 28), (test.Count, test.Channels, test.Height, test.Width));
        Assert.Equal("Ankle boot", test.ClassNames[9]);
        var px = new float[28 * 28];
        test.CopyPixels(0, px);
        Assert.Equal(-1f, px[0]);                       // byte 0
        Assert.Equal(1f, px[255], 5);                   // byte 255
        Assert.Equal(7, test.LabelOf(17));

        var sevens = FashionMnist.Load(new FashionMnistOptions(dir.Path, DatasetSplit.Test, Class: 7));
        Assert.Equal(2, sevens.Count);
        Assert.Equal(new[] { "#7", "#17" }, new[] { sevens.IdOf(0), sevens.IdOf(1) });
    }

    [Fact]
    public void MissingFolderSaysHowToGetTheData()
    {
        var e = Assert.Throws<GanSharpException>(() => FashionMnist.Load(new FashionMnistOptions("/nonexistent/fmnist")));
        Assert.Contains("/nonexistent/fmnist", e.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Hint);
        Assert.Throws<GanSharpException>(() => new FashionMnistOptions(Class: 10).Validate());
    }

    [Fact]
    public void FolderResolutionPrefersArgumentThenEnvironment()
    {
        Assert.Equal("/a", FashionMnist.ResolveFolder("/a"));
        string? env = Environment.GetEnvironmentVariable(FashionMnist.FolderVariable);
        Assert.Equal(string.IsNullOrWhiteSpace(env) ? FashionMnist.DefaultFolder : env, FashionMnist.ResolveFolder());
    }

    [Fact]
    public void RealFashionMnistHasTheDocumentedSizes()
    {
        if (!FashionMnist.IsAvailable(split: DatasetSplit.Train) || !FashionMnist.IsAvailable(split: DatasetSplit.Test))
            return; // Fashion-MNIST is not installed here (sudo apt-get install dataset-fashion-mnist); nothing to check.
        var train = FashionMnist.Load();
        var test = FashionMnist.Load(new FashionMnistOptions(Split: DatasetSplit.Test));
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));

        var stats = DatasetStats.Compute(test);
        Assert.Equal(10, stats.Classes.Count);
        Assert.All(stats.Classes, c => Assert.Equal(1000, c.Count));   // the test set is balanced
        Assert.Equal(-1, stats.Min);
        Assert.Equal(1, stats.Max);
        // Fashion-MNIST's mean pixel is ~0.286 of 255, std ~0.353: in [-1, 1] that is ~-0.43 and ~0.71.
        Assert.InRange(stats.ChannelMean[0], -0.45, -0.40);
        Assert.InRange(stats.ChannelStd[0], 0.68, 0.73);

        var sneakers = FashionMnist.Load(new FashionMnistOptions(Class: 7));
        Assert.Equal(6000, sneakers.Count);
        Assert.Equal("Sneaker", sneakers.ClassNames[sneakers.LabelOf(0)]);
    }
}
