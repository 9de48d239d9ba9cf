using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Nn;

public class StyleLayerTests
{
    public StyleLayerTests() => TorchRuntime.EnsureInitialized();

    static Tensor Leaf(Generator g, params long[] shape) => randn(shape, dtype: float64, generator: g).requires_grad_(true);

    [Fact]
    public void NoiseInjectionStartsAsIdentityAndScalesPerChannel()
    {
        using var scope = NewDisposeScope();
        var layer = new NoiseInjection(3);
        var x = randn(2, 3, 4, 4);
        var noise = randn(2, 1, 4, 4);
        using var _ = no_grad();
        Assert.True(GradCheck.Same(x, layer.call(x, noise)));
        layer.Weight.copy_(tensor(new float[] { 1, 2, 3 }).reshape(1, 3, 1, 1));
        var y = layer.call(x, noise);
        for (int c = 0; c < 3; c++)
            Assert.True(allclose(y[.., c], x[.., c] + (c + 1) * noise[.., 0]));
        Assert.Equal(new long[] { 2, 3, 4, 4 }, layer.call(x, randn(1, 1, 4, 4)).shape); // noise shared over the batch
        Assert.Throws<ArgumentException>(() => layer.call(x, randn(2, 3, 4, 4)));
    }

    [Fact]
    public void NoiseInjectionGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var layer = new NoiseInjection(2);
        layer.to(float64);
        using (no_grad()) layer.Weight.normal_();
        var g = new Generator(1);
        var x = Leaf(g, 2, 2, 3, 3);
        var noise = Leaf(g, 2, 1, 3, 3);
        double err = GradCheck.MaxError(() => layer.call(x, noise), new Tensor[] { x, noise, layer.Weight });
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }

    [Fact]
    public void AdaINNormalisesThenAppliesTheStyle()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var layer = new AdaIN(3, 5);
        layer.to(float64);
        var x = randn(new long[] { 2, 3, 4, 4 }, dtype: float64) * 3 + 1;
        using var _ = no_grad();
        // With zero weights the style is the bias: y_s = 1, y_b = 0, so the output is the normalised input.
        layer.Affine.Weight.zero_();
        var y = layer.call(x, randn(new long[] { 2, 5 }, dtype: float64));
        Assert.True(allclose(y.mean(new long[] { 2, 3 }), zeros(2, 3, dtype: float64), atol: 1e-10));
        Assert.True(allclose(y.square().mean(new long[] { 2, 3 }), ones(2, 3, dtype: float64), atol: 1e-6));

        // A general style: y_s · normalised + y_b per sample and channel.
        layer.Affine.Weight.normal_();
        var w = randn(new long[] { 2, 5 }, dtype: float64);
        var style = layer.Affine.call(w); // [2, 6]
        var mu = x.mean(new long[] { 2, 3 }, keepdim: true);
        var sigma = (x.var(new long[] { 2, 3 }, unbiased: false, keepdim: true) + 1e-8).sqrt();
        var expected = style[.., ..3].reshape(2, 3, 1, 1) * (x - mu) / sigma + style[.., 3..].reshape(2, 3, 1, 1);
        Assert.True(allclose(layer.call(x, w), expected, rtol: 1e-10, atol: 1e-10));
    }

    [Fact]
    public void AdaINGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var layer = new AdaIN(2, 3);
        layer.to(float64);
        var g = new Generator(4);
        var x = Leaf(g, 2, 2, 3, 3);
        var w = Leaf(g, 2, 3);
        double err = GradCheck.MaxError(() => layer.call(x, w), new Tensor[] { x, w, layer.Affine.Weight, layer.Affine.Bias! });
        Assert.True(err < 1e-5, $"max gradient error {err}");
    }

    [Fact]
    public void PixelNormGivesUnitMeanSquareAndCorrectGradients()
    {
        using var scope = NewDisposeScope();
        var layer = new PixelNorm();
        var z = randn(new long[] { 4, 7 }, dtype: float64) * 5;
        using (no_grad())
            Assert.True(allclose(layer.call(z).square().mean(new long[] { 1 }), ones(4, dtype: float64), atol: 1e-6));
        var x = Leaf(new Generator(5), 2, 4);
        double err = GradCheck.MaxError(() => layer.call(x), new Tensor[] { x });
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }

    [Fact]
    public void MinibatchStdDevAppendsTheGroupDeviation()
    {
        using var scope = NewDisposeScope();
        var layer = new MinibatchStdDev(groupSize: 2);
        var x = randn(new long[] { 4, 3, 2, 2 }, dtype: float64);
        using (no_grad())
        {
            var y = layer.call(x);
            Assert.Equal(new long[] { 4, 4, 2, 2 }, y.shape);
            Assert.True(GradCheck.Same(x, y[.., ..3]));
            // Groups are samples {0, 2} and {1, 3}.
            var expected0 = (x[0] - x[2]).abs().div(2).add(0).square().add(1e-8).sqrt().mean().item<double>();
            Assert.Equal(expected0, y[0, 3, 0, 0].item<double>(), 9);
            Assert.Equal(expected0, y[2, 3, 1, 1].item<double>(), 9);
            Assert.Equal(new long[] { 3, 4, 2, 2 }, layer.call(x[..3]).shape); // 3 is not divisible by 2: groups of 1
        }
        var xi = Leaf(new Generator(6), 4, 2, 2, 2);
        double err = GradCheck.MaxError(() => layer.call(xi), new Tensor[] { xi });
        Assert.True(err < 1e-5, $"max gradient error {err}");
    }
}
