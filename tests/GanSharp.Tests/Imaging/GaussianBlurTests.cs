using GanSharp.Imaging;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Imaging;

public class GaussianBlurTests
{
    [Fact]
    public void KernelIsTheNormalisedSampledGaussian()
    {
        var k = GaussianBlur.Kernel(1.0);
        Assert.Equal(3, GaussianBlur.Radius(1.0));
        Assert.Equal(7, k.Length);
        Assert.Equal(1.0, k.Sum(), 12);
        Assert.Equal(k, k.Reverse()); // symmetric
        Assert.Equal(Math.Exp(-0.5), k[4] / k[3], 12);
        Assert.Equal(Math.Exp(-2.0), k[5] / k[3], 12);
        Assert.Equal(5, GaussianBlur.Kernel(0.6).Length); // r = ⌈1.8⌉ = 2
        Assert.Equal(13, GaussianBlur.Kernel(2).Length);
        Assert.Equal(new[] { 1.0 }, GaussianBlur.Kernel(0));
        Assert.Throws<GanSharpException>(() => GaussianBlur.Kernel(-0.1));
        Assert.Throws<GanSharpException>(() => GaussianBlur.Kernel(double.NaN));
    }

    [Fact]
    public void BlurKeepsConstantImagesAndSpreadsAnImpulseAsTheKernel()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var constant = full(new long[] { 2, 3, 9, 7 }, 0.37f);                              // [N, C, H, W]
        var blurred = GaussianBlur.Apply(constant, 1.3);
        Assert.Equal(constant.shape, blurred.shape);
        Assert.True((blurred - constant).abs().max().item<float>() < 1e-6f); // edges replicated: no dark border

        var impulse = zeros(1, 1, 15, 15, dtype: float64);
        impulse[0, 0, 7, 7] = tensor(1.0);
        var spread = GaussianBlur.Apply(impulse, 1.0)[0, 0];                                  // [15, 15]
        var k = GaussianBlur.Kernel(1.0);
        Assert.Equal(1.0, spread.sum().item<double>(), 12);                                   // far from the edges: mass kept
        Assert.Equal(k[3] * k[3], spread[7, 7].item<double>(), 12);                          // separable: k ⊗ k
        Assert.Equal(k[3] * k[5], spread[7, 9].item<double>(), 12);
        Assert.Equal(0.0, spread[7, 11].item<double>());                                      // beyond the radius

        var x = rand(1, 3, 8, 8);
        Assert.True(GaussianBlur.Apply(x, 0).equal(x).all().item<bool>());                          // σ = 0: identity
        Assert.True(GaussianBlur.Apply(x, 2).std().item<float>() < x.std().item<float>());
        Assert.Throws<ArgumentException>(() => GaussianBlur.Apply(rand(3, 8, 8), 1));
    }

    [Fact]
    public void PerImageSigmasBlurEachImageAsTheSingleSigmaBlur()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 3, 2, 12, 12 }, generator: new Generator(4), dtype: float64);       // [N, C, H, W]
        var each = GaussianBlur.Apply(x, tensor(new[] { 0.0, 2.0, 1.0 }), maxSigma: 2);
        Assert.Equal(x.shape, each.shape);
        Assert.True((each[0] - x[0]).abs().max().item<double>() < 1e-12);                         // σ = 0: unchanged
        Assert.True((each[1] - GaussianBlur.Apply(x[1..2], 2.0)[0]).abs().max().item<double>() < 1e-12); // same radius: identical
        // σ = 1 inside a radius-6 kernel: only the taps beyond 3σ (weights ≤ e^-8) differ from the radius-3 blur.
        Assert.True((each[2] - GaussianBlur.Apply(x[2..3], 1.0)[0]).abs().max().item<double>() < 1e-3);
        Assert.True((GaussianBlur.Apply(full(new long[] { 2, 3, 5, 5 }, 0.5f), tensor(new[] { 0.3, 1.7 }), 2) - 0.5f).abs().max().item<float>() < 1e-6f);
        Assert.Throws<GanSharpException>(() => GaussianBlur.Apply(x, tensor(new[] { 0.0, 2.5, 1.0 }), maxSigma: 2));
        Assert.Throws<ArgumentException>(() => GaussianBlur.Apply(x, tensor(new[] { 0.0, 1.0 }), maxSigma: 2));
    }
}
