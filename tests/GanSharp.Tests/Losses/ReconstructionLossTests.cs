using GanSharp.Losses;
using GanSharp.Platform;
using TorchSharp;
using static GanSharp.Tests.Losses.GradCheck;
using static TorchSharp.torch;

namespace GanSharp.Tests.Losses;

public class ReconstructionLossTests
{
    // Two samples of shape [1, 2, 2]; x − y = [[1, −2, 0.5, 0], [−3, 1, 1, 2]].
    static readonly double[] X = { 1, -1, 0.5, 2, -2, 0, 1, 3 };
    static readonly double[] Y = { 0, 1, 0, 2, 1, -1, 0, 1 };

    public ReconstructionLossTests() => TorchRuntime.EnsureInitialized();

    static Tensor Batch(double[] v) => tensor(v, new long[] { 2, 1, 2, 2 }, float64);
    static double[] Values(Tensor t) => t.data<double>().ToArray();

    [Fact]
    public void MeanAndPerSampleDistancesMatchHandValues()
    {
        using var scope = NewDisposeScope();
        var x = Batch(X);
        var y = Batch(Y);
        Assert.Equal((3.5 + 7) / 8, ReconstructionLoss.L1(x, y).item<double>(), 12);
        Assert.Equal((5.25 + 15) / 8, ReconstructionLoss.L2(x, y).item<double>(), 12);
        Assert.Equal(new[] { 3.5 / 4, 7 / 4.0 }, Values(ReconstructionLoss.L1PerSample(x, y)));
        Assert.Equal(new[] { 3.5, 7.0 }, Values(ReconstructionLoss.L1PerSample(x, y, SampleReduction.Sum)));
        Assert.Equal(new[] { 5.25 / 4, 15 / 4.0 }, Values(ReconstructionLoss.L2PerSample(x, y)));
        Assert.Equal(new[] { 5.25, 15.0 }, Values(ReconstructionLoss.L2PerSample(x, y, SampleReduction.Sum)));
        Assert.Equal(new[] { 3.5, 7.0 }, Values(ReconstructionLoss.FeatureMatchingDistance(x, y, p: 1)));
        var l2 = Values(ReconstructionLoss.FeatureMatchingDistance(x, y));
        Assert.Equal(Math.Sqrt(5.25), l2[0], 12);
        Assert.Equal(Math.Sqrt(15), l2[1], 12);
        // A batch of scalars [N] is N samples of one element.
        Assert.Equal(new[] { 1.0, 2.0 }, Values(ReconstructionLoss.FeatureMatchingDistance(T(1, -1), T(0, 1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconstructionLoss.FeatureMatchingDistance(x, y, p: 3));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var x = Batch(X);
        var y = Batch(Y) + 0.1; // keep |x − y| away from 0, where |·| has a kink
        AssertMatches(a => ReconstructionLoss.L1(a, y), x);
        AssertMatches(a => ReconstructionLoss.L2(a, y), x);
        AssertMatches(b => ReconstructionLoss.L2(x, b), y);
        foreach (var r in Enum.GetValues<SampleReduction>())
        {
            AssertMatches(a => Weighted(ReconstructionLoss.L1PerSample(a, y, r)), x);
            AssertMatches(a => Weighted(ReconstructionLoss.L2PerSample(a, y, r)), x);
        }
        AssertMatches(a => Weighted(ReconstructionLoss.FeatureMatchingDistance(a, y, p: 1)), x);
        AssertMatches(a => Weighted(ReconstructionLoss.FeatureMatchingDistance(a, y)), x);
        AssertMatches(b => Weighted(ReconstructionLoss.FeatureMatchingDistance(x, b)), y);
    }
}
