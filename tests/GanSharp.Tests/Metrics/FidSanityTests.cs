using GanSharp.Data;
using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Metrics;

/// <summary>
/// The metric sanity check: with a fixed-seed (untrained) feature network, the FID-style distance between real
/// images and degraded copies of them grows monotonically with the degradation strength.
/// </summary>
public class FidSanityTests
{
    static Tensor Blur(Tensor x, double sigma) // [N, C, H, W] → same
    {
        if (sigma == 0) return x.clone();
        var w = ImageQuality.GaussianWindow(7, sigma, x.dtype);
        return F.conv2d(F.pad(x, new long[] { 3, 3, 3, 3 }, TorchSharp.PaddingModes.Reflect), w);
    }

    static double[] DistancesUnder(Func<Tensor, double, Tensor> degrade, double[] strengths)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var data = FeatureNetworkTests.BundledFashion(); // 64 test images, 10 classes
        manual_seed(42);
        var net = new FeatureNetwork(new FeatureNetworkConfig(1, 28, 10, Width: 8, FeatureDim: 32));
        var options = new SampleSetOptions(Count: data.Count, BatchSize: 32);
        var real = SampleSet.FeaturesOf(net, data, options);
        var distances = new List<double>();
        foreach (double s in strengths)
        {
            using var loader = new DataLoader(data, new DataLoaderOptions(32, Shuffle: false, Prefetch: 0));
            using var samples = SampleSet.Collect(net, real, n =>
            {
                using var batch = loader.Next();
                Assert.Equal(n, batch.Count);
                return degrade(batch.Images, s);
            }, options);
            distances.Add(new FidMetric().Compute(samples)["fid"]);
        }
        return distances.ToArray();
    }

    static void AssertIncreasing(double[] d, string what)
    {
        Assert.True(d[0] < 1e-6 * d[^1], $"{what}: undegraded distance {d[0]} is not ~0");
        for (int i = 1; i < d.Length; i++)
            Assert.True(d[i] > d[i - 1], $"{what}: distances {string.Join(", ", d.Select(v => v.ToString("g4")))} do not increase");
    }

    [Fact]
    public void DistanceGrowsWithBlur() =>
        AssertIncreasing(DistancesUnder(Blur, new[] { 0, 0.6, 1.0, 1.5, 2.5 }), "blur");

    [Fact]
    public void DistanceGrowsWithNoise()
    {
        var gen = new Generator(8);
        AssertIncreasing(DistancesUnder((x, s) => x + s * randn(x.shape, generator: gen), new[] { 0, 0.1, 0.2, 0.4, 0.8 }), "noise");
    }
}
