using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Metrics;

public class FrechetDistanceTests
{
    static FeatureStatistics Stats(double[] mean, Tensor cov) => new(tensor(mean, float64), cov, 100);

    [Fact]
    public void DiagonalCovariancesMatchTheClosedForm()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        double[] a = { 1.0, 4.0, 0.25, 9.0 }, b = { 4.0, 1.0, 0.25, 0.0 };
        double[] mu1 = { 0, 1, 2, 3 }, mu2 = { 1, 1, 0, 3 };
        double expected = 0;
        for (int i = 0; i < a.Length; i++)
            expected += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) + Math.Pow(Math.Sqrt(a[i]) - Math.Sqrt(b[i]), 2);
        // 1 + 0 + 4 + 0 + (1 + 1 + 0 + 9) = 16
        Assert.Equal(16.0, expected, 12);
        double d2 = FrechetDistance.Compute(Stats(mu1, diag(tensor(a, float64))), Stats(mu2, diag(tensor(b, float64))));
        Assert.Equal(expected, d2, 9);
    }

    [Fact]
    public void OneDimensionalGaussiansGiveMeanAndStdDifferences()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var x = randn(new long[] { 400, 1 }, dtype: float64, generator: gen) * 2 + 1;   // ~N(1, 4)
        var y = randn(new long[] { 300, 1 }, dtype: float64, generator: gen) * 0.5 - 2; // ~N(-2, 0.25)
        static (double Mean, double Std) Moments(double[] v)
        {
            double m = v.Average();
            return (m, Math.Sqrt(v.Sum(t => (t - m) * (t - m)) / (v.Length - 1)));
        }
        var (m1, s1) = Moments(x.data<double>().ToArray());
        var (m2, s2) = Moments(y.data<double>().ToArray());
        double expected = (m1 - m2) * (m1 - m2) + (s1 - s2) * (s1 - s2);
        Assert.Equal(expected, FrechetDistance.Compute(x, y), 9);
        Assert.InRange(expected, 9 + 2.25 - 1, 9 + 2.25 + 1); // (1 - (-2))² + (2 - 0.5)², up to sampling error
    }

    [Fact]
    public void IdenticalSetsGiveZeroEvenWhenTheCovarianceIsSingular()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        var full = randn(new long[] { 200, 16 }, dtype: float64, generator: gen);
        Assert.Equal(0, FrechetDistance.Compute(full, full.clone()), 8);
        var singular = randn(new long[] { 10, 32 }, dtype: float64, generator: gen).relu(); // rank ≤ 9 < D
        double d2 = FrechetDistance.Compute(singular, singular.clone());
        Assert.InRange(d2, 0, 1e-6 * singular.var(0).sum().item<double>());
    }

    [Fact]
    public void NonCommutingCovariancesAgreeWithTheEigenvaluesOfTheProduct()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        var a = randn(new long[] { 6, 6 }, dtype: float64, generator: gen);
        var b = randn(new long[] { 6, 6 }, dtype: float64, generator: gen);
        var s1 = a.matmul(a.t()) + 0.1 * eye(6, dtype: float64);
        var s2 = b.matmul(b.t());
        // Σ₁Σ₂ is similar to a PSD matrix: its eigenvalues are real and ≥ 0, and Tr((Σ₁Σ₂)^{1/2}) = Σ √λ.
        var eig = linalg.eigvals(s1.matmul(s2));
        double reference = eig.real.clamp_min(0).sqrt().sum().item<double>();
        Assert.Equal(reference, FrechetDistance.TraceSqrtProduct(s1, s2), 8);
        Assert.Equal(FrechetDistance.TraceSqrtProduct(s1, s2), FrechetDistance.TraceSqrtProduct(s2, s1), 8);

        var mu = zeros(6, float64);
        double d12 = FrechetDistance.Compute(new FeatureStatistics(mu, s1, 10), new FeatureStatistics(mu, s2, 10));
        double d21 = FrechetDistance.Compute(new FeatureStatistics(mu, s2, 10), new FeatureStatistics(mu, s1, 10));
        Assert.Equal(d12, d21, 8);
        Assert.True(d12 > 0);
    }

    [Fact]
    public void SymmetricSqrtSquaresBack()
    {
        using var scope = NewDisposeScope();
        var a = randn(new long[] { 5, 5 }, dtype: float64, generator: new Generator(5));
        var s = a.matmul(a.t());
        var r = FrechetDistance.SymmetricSqrt(s);
        Assert.True(r.matmul(r).allclose(s, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void RejectsBadShapes()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(zeros(1, 3), zeros(5, 3)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(zeros(5, 3), zeros(5, 4)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Statistics(zeros(5)));
    }
}
