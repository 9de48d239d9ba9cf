using GanSharp.Metrics;
using static TorchSharp.torch;

namespace GanSharp.Tests.Metrics;

public class NearestNeighbourMetricsTests
{
    static Tensor Points1D(params double[] v) => tensor(v, float64).unsqueeze(1); // [N, 1]

    [Fact]
    public void KthNeighbourRadiiExcludeThePointItself()
    {
        using var scope = NewDisposeScope();
        var radii = NearestNeighbours.KthNeighbourRadii(Points1D(0, 1, 3, 7), k: 2);
        Assert.Equal(new[] { 3.0, 2.0, 3.0, 6.0 }, radii.data<double>().ToArray());
        Assert.Throws<ArgumentException>(() => NearestNeighbours.KthNeighbourRadii(Points1D(0, 1, 3), k: 3));
    }

    [Fact]
    public void HandCountedOneDimensionalCase()
    {
        using var scope = NewDisposeScope();
        var real = Points1D(0, 1, 2, 3);          // k = 1 radii: 1, 1, 1, 1
        var fake = Points1D(0.5, 10, 3.5, 100);   // k = 1 radii: 3, 6.5, 3, 90
        var pr = PrecisionRecall.Compute(real, fake, k: 1);
        Assert.Equal(0.5, pr.Precision, 12);  // 0.5 and 3.5 lie in real balls; 10 and 100 do not
        Assert.Equal(1.0, pr.Recall, 12);     // the ball of 0.5 (radius 3) covers every real point: outliers inflate recall
        var dc = DensityCoverage.Compute(real, fake, k: 1);
        Assert.Equal(0.75, dc.Density, 12);   // 0.5 is in the open balls of 0 and 1, 3.5 in that of 3: 3 / (k·M = 4)
        Assert.Equal(0.75, dc.Coverage, 12);  // real 0, 1, 3 have a fake within radius 1; 2 does not
    }

    [Fact]
    public void IdenticalSetsScoreOne()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 60, 5 }, dtype: float64, generator: new Generator(1));
        var pr = PrecisionRecall.Compute(x, x.clone());
        Assert.Equal((1.0, 1.0), (pr.Precision, pr.Recall));
        var dc = DensityCoverage.Compute(x, x.clone());
        Assert.Equal(1.0, dc.Coverage);
        Assert.Equal(1.0, dc.Density, 12); // open balls hold the centre and k − 1 neighbours
    }

    [Fact]
    public void FarApartSetsScoreZero()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(2);
        var x = randn(new long[] { 40, 4 }, dtype: float64, generator: gen);
        var y = randn(new long[] { 40, 4 }, dtype: float64, generator: gen) + 1000;
        var pr = PrecisionRecall.Compute(x, y);
        var dc = DensityCoverage.Compute(x, y);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (pr.Precision, pr.Recall, dc.Density, dc.Coverage));
    }

    [Fact]
    public void BlockSizeDoesNotChangeTheResult()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(4);
        var x = randn(new long[] { 50, 3 }, dtype: float64, generator: gen);
        var y = randn(new long[] { 45, 3 }, dtype: float64, generator: gen) * 1.5 + 0.3;
        Assert.Equal(PrecisionRecall.Compute(x, y), PrecisionRecall.Compute(x, y, blockSize: 7));
        Assert.Equal(DensityCoverage.Compute(x, y), DensityCoverage.Compute(x, y, blockSize: 7));
        var pr = PrecisionRecall.Compute(x, y);
        Assert.InRange(pr.Precision, 0.01, 0.99);
    }

    [Fact]
    public void ModeDroppingLowersRecallAndCoverageButNotPrecision()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(6);
        var centres = tensor(new double[] { -10, 0, 10 }, float64);
        var real = (randn(new long[] { 90, 2 }, dtype: float64, generator: gen) + centres.repeat(30).unsqueeze(1)); // 3 modes on a line
        var dropped = randn(new long[] { 90, 2 }, dtype: float64, generator: gen) + 10;                            // only the last mode
        var pr = PrecisionRecall.Compute(real, dropped);
        var dc = DensityCoverage.Compute(real, dropped);
        Assert.True(pr.Precision > 0.8, $"precision {pr.Precision}");
        Assert.True(pr.Recall < 0.45, $"recall {pr.Recall}");
        Assert.True(dc.Coverage < 0.45, $"coverage {dc.Coverage}");
    }
}
