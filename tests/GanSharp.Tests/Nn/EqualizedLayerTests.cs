using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Nn;

public class EqualizedLayerTests
{
    public EqualizedLayerTests() => TorchRuntime.EnsureInitialized();

    static Tensor Leaf(Generator g, params long[] shape) => randn(shape, dtype: float64, generator: g).requires_grad_(true);

    [Fact]
    public void LinearAppliesTheRuntimeScaleAndLearningRateMultiplier()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var layer = new EqualizedLinear(6, 4, gain: Math.Sqrt(2), lrMultiplier: 0.01, biasInit: 0.5);
        var x = randn(3, 6, generator: new Generator(2));
        using var _ = no_grad();
        var expected = x.matmul((layer.Weight * (Math.Sqrt(2) / Math.Sqrt(6) * 0.01)).t()) + 0.5;
        Assert.True(allclose(layer.call(x), expected, rtol: 1e-5, atol: 1e-6));
        // Stored weights are N(0, 1) / lrMultiplier, so the effective weights are N(0, gain² / fan_in).
        Assert.InRange(layer.Weight.std().item<float>(), 40f, 250f);
        Assert.Equal(new long[] { 3, 4 }, layer.call(x).shape);
    }

    [Fact]
    public void LinearGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var layer = new EqualizedLinear(5, 3, gain: Math.Sqrt(2), lrMultiplier: 0.1, biasInit: 0.2);
        layer.to(float64);
        var x = Leaf(new Generator(4), 2, 5);
        double err = GradCheck.MaxError(() => layer.call(x), new Tensor[] { x, layer.Weight, layer.Bias! });
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }

    [Fact]
    public void ConvMatchesAnOrdinaryConvWithTheScaledWeight()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var conv = new EqualizedConv2d(3, 4, 3, gain: Math.Sqrt(2));
        conv.to(float64);
        var x = randn(new long[] { 2, 3, 5, 5 }, dtype: float64, generator: new Generator(6));
        using var _ = no_grad();
        var expected = F.conv2d(x, conv.Weight * (Math.Sqrt(2) / Math.Sqrt(27)), conv.Bias, padding: new long[] { 1, 1 });
        Assert.Equal(0.0, (conv.call(x) - expected).abs().max().item<double>());
        Assert.Equal((5, 5), conv.LastInputSize);
    }

    [Fact]
    public void ConvGradientsMatchFiniteDifferencesIncludingTheExternalPadding()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var conv = new EqualizedConv2d(2, 3, 3, gain: Math.Sqrt(2), lrMultiplier: 0.5);
        conv.to(float64);
        using (no_grad()) conv.Bias!.normal_();
        var g = new Generator(8);
        var x = Leaf(g, 2, 2, 4, 4);
        var pad = Leaf(g, 1, 2, 6, 6);
        conv.ExternalPadding = pad;
        double err = GradCheck.MaxError(() => conv.call(x), new Tensor[] { x, conv.Weight, conv.Bias!, pad });
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }
}
