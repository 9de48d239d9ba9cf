using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Nn;

public class ModulatedConv2dTests
{
    public ModulatedConv2dTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void DemodulationKeepsUnitOutputVarianceForUnitVarianceInputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var layer = new ModulatedConv2d(24, 16, 3, styleSize: 8);
        layer.to(float64);
        var g = new Generator(4);
        // i.i.d. unit-variance inputs and arbitrary styles (scales far from 1): each output channel has unit variance.
        var x = randn(new long[] { 64, 24, 12, 12 }, dtype: float64, generator: g);
        var w = randn(new long[] { 64, 8 }, dtype: float64, generator: g) * 3;
        using var _ = no_grad();
        // Interior pixels only: the zero padding at the border lowers the variance there.
        var y = layer.call(x, w)[.., .., 1..^1, 1..^1];           // [N, C, H - 2, W - 2]
        var variance = y.square().mean(new long[] { 0, 2, 3 });     // [C]
        Assert.True(variance.sub(1).abs().max().item<double>() < 0.1, $"per-channel variance {variance.min().item<double>():0.000}..{variance.max().item<double>():0.000}");

        // Without demodulation the variance follows the style scales instead (here far from 1).
        var plain = new ModulatedConv2d(24, 16, 3, styleSize: 8, demodulate: false);
        plain.to(float64);
        var pv = plain.call(x, w)[.., .., 1..^1, 1..^1].square().mean().item<double>();
        Assert.True(Math.Abs(pv - 1) > 0.3, $"undemodulated variance {pv}");
    }

    [Fact]
    public void EqualsTheModulatedWeightFormulaPerSample()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var layer = new ModulatedConv2d(5, 4, 3, styleSize: 6);
        layer.to(float64);
        var g = new Generator(6);
        var x = randn(new long[] { 3, 5, 7, 7 }, dtype: float64, generator: g);
        var w = randn(new long[] { 3, 6 }, dtype: float64, generator: g);
        using var _ = no_grad();
        var y = layer.call(x, w);
        var s = layer.Affine.call(w);                       // [N, C_in]
        var weight = layer.Conv.EffectiveWeight();          // [C_out, C_in, 3, 3]
        for (int n = 0; n < 3; n++)
        {
            var wn = weight * s[n].reshape(1, 5, 1, 1);      // w'_ijk = s_i w_ijk
            wn = wn / (wn.square().sum(new long[] { 1, 2, 3 }, keepdim: true) + ModulatedConv2d.Epsilon).sqrt();
            var expected = F.conv2d(x[n..(n + 1)], wn, padding: new long[] { 1, 1 });
            Assert.True(allclose(y[n..(n + 1)], expected, rtol: 1e-10, atol: 1e-12), $"sample {n}");
        }
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var layer = new ModulatedConv2d(3, 2, 3, styleSize: 4);
        layer.to(float64);
        var g = new Generator(8);
        var x = randn(new long[] { 2, 3, 4, 4 }, dtype: float64, generator: g).requires_grad_(true);
        var w = randn(new long[] { 2, 4 }, dtype: float64, generator: g).requires_grad_(true);
        var inputs = new List<Tensor> { x, w };
        inputs.AddRange(layer.parameters());
        double err = GradCheck.MaxError(() => layer.call(x, w), inputs);
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }

    [Fact]
    public void ThePaddingHookIsTheInnerConvolution()
    {
        using var scope = NewDisposeScope();
        var layer = new ModulatedConv2d(3, 2, 3, styleSize: 4);
        var x = randn(1, 3, 5, 5);
        var w = randn(1, 4);
        using var _ = no_grad();
        var plain = layer.call(x, w);
        IPaddingHook hook = layer.Conv;
        hook.ExternalPadding = zeros(1, 3, 7, 7);
        Assert.True(allclose(plain, layer.call(x, w), atol: 1e-6)); // zero padding values: the same function
        hook.ExternalPadding = ones(1, 3, 7, 7);
        var padded = layer.call(x, w);
        Assert.False(allclose(plain, padded, atol: 1e-4));
        Assert.True(allclose(plain[.., .., 1..^1, 1..^1], padded[.., .., 1..^1, 1..^1], atol: 1e-5)); // only the border changes
    }
}
