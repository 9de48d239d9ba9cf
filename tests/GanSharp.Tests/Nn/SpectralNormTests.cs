using GanSharp.Nn;
using TorchSharp;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Nn;

public class SpectralNormTests
{
    [Fact]
    public void SigmaMatchesTheLargestSingularValueInFloat64()
    {
        TorchRuntime.EnsureInitialized();
        var rng = new Generator(11);
        var w = randn(new long[] { 8, 4, 3, 3 }, dtype: float64, generator: rng); // [out, in, k, k]
        using var sn = new SpectralNorm(8, 36, generator: new Generator(5));
        sn.to(float64);
        sn.PowerIterate(w, 200);
        double sigma = sn.Sigma(w).item<double>();
        double expected = linalg.svdvals(w.flatten(1)).max().item<double>();
        Assert.Equal(expected, sigma, 9);
        // One iteration is a (lower) estimate, not the value: the test can tell a converged estimate from a fresh one.
        using var fresh = new SpectralNorm(8, 36, generator: new Generator(5));
        fresh.to(float64);
        fresh.PowerIterate(w, 1);
        Assert.True(fresh.Sigma(w).item<double>() <= expected + 1e-12);
    }

    [Fact]
    public void NormalisedWeightHasUnitSpectralNormAfterEnoughIterations()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(2);
        using var conv = new SpectralNormConv2d(3, 6, 4, stride: 2, padding: 1);
        using var linear = new SpectralNormLinear(10, 5);
        conv.train();
        linear.train();
        for (int i = 0; i < 100; i++) // one power iteration per training forward
        {
            conv.NormalizedWeight().Dispose();
            linear.NormalizedWeight().Dispose();
        }
        conv.eval();
        linear.eval();
        double convNorm = linalg.svdvals(conv.NormalizedWeight().flatten(1).to(float64)).max().item<double>();
        double linearNorm = linalg.svdvals(linear.NormalizedWeight().to(float64)).max().item<double>();
        Assert.InRange(convNorm, 0.999, 1.001);
        Assert.InRange(linearNorm, 0.999, 1.001);
        Assert.True(Math.Abs(linalg.svdvals(conv.Weight.detach().flatten(1)).max().item<float>() - 1) > 0.05, "the raw weight is not normalised");
        Assert.Equal(new long[] { 2, 6, 8, 8 }, conv.call(zeros(2, 3, 16, 16)).shape);
        Assert.Equal(new long[] { 2, 5 }, linear.call(zeros(2, 10)).shape);
    }

    [Fact]
    public void EvalRunsNoIterationAndTheVectorsSurviveSaveAndLoad()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("spectral");
        manual_seed(4);
        using var a = new SpectralNormConv2d(3, 4, 3, padding: 1);
        a.train();
        a.call(randn(1, 3, 8, 8)).Dispose();
        var u = a.Norm.U.clone();
        Assert.Equal(2, a.named_buffers().Count()); // u and v are buffers, so checkpoints hold them
        a.eval();
        a.call(randn(1, 3, 8, 8)).Dispose();
        Assert.True(a.Norm.U.eq(u).all().item<bool>(), "eval must not iterate");
        a.train();
        a.call(randn(1, 3, 8, 8)).Dispose();
        Assert.False(a.Norm.U.eq(u).all().item<bool>(), "training forwards iterate");
        var path = dir.Combine("sn.bin");
        a.save(path);
        manual_seed(99);
        using var b = new SpectralNormConv2d(3, 4, 3, padding: 1);
        Assert.False(b.Norm.U.eq(a.Norm.U).all().item<bool>());
        b.load(path);
        Assert.True(b.Norm.U.eq(a.Norm.U).all().item<bool>());
        Assert.True(b.Norm.V.eq(a.Norm.V).all().item<bool>());
        b.eval();
        a.eval();
        var x = randn(2, 3, 8, 8);
        Assert.True(a.call(x).allclose(b.call(x)));
    }
}
