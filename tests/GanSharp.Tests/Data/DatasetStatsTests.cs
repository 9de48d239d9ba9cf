using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class DatasetStatsTests
{
    [Fact]
    public void CountsClassesAndPixelMoments()
    {
        // Items 0..9 with every pixel = i/1000, labels i % 3 -> classes of 4, 3, 3.
        var stats = DatasetStats.Compute(new SyntheticDataset(10, channels: 2, size: 3));
        Assert.Equal((10, 2, 3, 3), (stats.Count, stats.Channels, stats.Height, stats.Width));
        Assert.Equal(new[] { 4, 3, 3 }, stats.Classes.Select(c => c.Count));
        Assert.Equal("c1", stats.Classes[1].Name);
        Assert.Equal(0.4, stats.Classes[0].Fraction, 12);
        double mean = 4.5 / 1000, variance = Enumerable.Range(0, 10).Average(i => Math.Pow(i / 1000.0 - mean, 2));
        Assert.All(stats.ChannelMean, m => Assert.Equal(mean, m, 6));
        Assert.All(stats.ChannelStd, s => Assert.Equal(Math.Sqrt(variance), s, 6));
        Assert.Equal(0, stats.Min);
        Assert.Equal(0.009, stats.Max, 6);
    }

    [Fact]
    public void SamplingAndUnlabelledData()
    {
        var stats = DatasetStats.Compute(new SyntheticDataset(100, classes: 0), maxPixelSamples: 10);
        Assert.Equal(10, stats.PixelsSampled);
        Assert.Single(stats.Classes);
        Assert.Equal((-1, "(unlabelled)", 100), (stats.Classes[0].Label, stats.Classes[0].Name, stats.Classes[0].Count));
    }
}
