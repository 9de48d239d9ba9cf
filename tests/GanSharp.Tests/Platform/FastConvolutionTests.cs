using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Nn;
using GanSharp.Platform;
using GanSharp.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Platform;

/// <summary>The fast convolution path: channel padding is the same function, and the end-to-end check accepts and rejects.</summary>
[Collection(GlobalTorchStateCollection.Name)]
public class FastConvolutionTests
{
    public FastConvolutionTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(24, 3, 3, 1, 1)]
    [InlineData(3, 1, 1, 1, 0)]
    [InlineData(129, 16, 3, 1, 1)]
    [InlineData(8, 24, 4, 2, 1)]
    public void ChannelPaddedConvolutionIsTheSameFunctionWithTheSameGradients(int cin, int cout, int k, int stride, int pad)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var x = randn(new long[] { 2, cin, 7, 7 }, dtype: float64, generator: gen).requires_grad_(true);
        var w = (randn(new long[] { cout, cin, k, k }, dtype: float64, generator: gen) * 0.2).requires_grad_(true);
        var b = randn(new long[] { cout }, dtype: float64, generator: gen).requires_grad_(true);
        var plain = F.conv2d(x, w, b, strides: new long[] { stride, stride }, padding: new long[] { pad, pad });
        var padded = ConvOps.ChannelPadded(x, w, b, stride, pad);
        Assert.Equal(plain.shape, padded.shape);
        Assert.True(padded.allclose(plain, rtol: 1e-12, atol: 1e-12));
        var r = randn(plain.shape, dtype: float64, generator: gen);
        var g1 = autograd.grad(new[] { (plain * r).sum() }, new[] { x, w, b });
        var g2 = autograd.grad(new[] { (padded * r).sum() }, new[] { x, w, b });
        for (int i = 0; i < 3; i++) Assert.True(g2[i].allclose(g1[i], rtol: 1e-12, atol: 1e-12));
        // float64 finite differences on the padded form itself
        Assert.True(GradCheck.MaxError(() => ConvOps.ChannelPadded(x, w, b, stride, pad), new[] { x, w, b }, maxPerTensor: 12) < 1e-6);
    }

    [Fact]
    public void ChannelPaddingOnlyActsOnTheFastPathInFloat32()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(6);
        var x = randn(new long[] { 2, 24, 6, 6 }, generator: gen);
        var w = randn(new long[] { 3, 24, 3, 3 }, generator: gen) * 0.1;
        try
        {
            ConvOps.ChannelPadding = true; // oneDNN stays as the start-up check left it: the padded form must agree with F.conv2d
            var padded = ConvOps.Conv2d(x, w, null, padding: 1);
            ConvOps.ChannelPadding = false;
            var plain = ConvOps.Conv2d(x, w, null, padding: 1);
            Assert.True(padded.allclose(plain, rtol: 1e-4, atol: 1e-5));
        }
        finally { ConvOps.ChannelPadding = false; }
    }

    [Fact]
    public void FastPathIsRejectedWhereOneDnnIsWrongAndTheSafePathRestored()
    {
        var report = TorchRuntime.EnsureInitialized();
        if (report.MkldnnEnabled || !report.MkldnnSwitchAvailable) return; // oneDNN is correct (or absent) here: nothing to reject
        manual_seed(3);
        // DCGAN width 24: its transposed convolutions and 24-channel layers are outside the class oneDNN gets right.
        var arch = GanArchitecture.Default("dcgan", new ImageShape(3, 32, 32), AdversarialLoss.NonSaturating, 24, 16);
        double? error = TorchRuntime.TryFastConvolutions(() => arch.NumericsError(8, CPU), "test dcgan w24");
        Assert.NotNull(error);
        Assert.True(error > ModelNumerics.Tolerance, $"error {error}");
        Assert.False(TorchRuntime.FastConvolutions);
        Assert.False(LibTorchSwitches.MkldnnEnabled);
        Assert.False(ConvOps.ChannelPadding);
    }

    [Fact]
    public void FastPathIsKeptForAStyleGanAndSwitchedBack()
    {
        var report = TorchRuntime.EnsureInitialized();
        if (report.MkldnnEnabled || !report.MkldnnSwitchAvailable) return;
        manual_seed(1);
        var arch = GanArchitecture.Default("stylegan", new ImageShape(3, 16, 16), AdversarialLoss.NonSaturating, 32, 16);
        try
        {
            double? error = TorchRuntime.TryFastConvolutions(() => arch.NumericsError(4, CPU), "test stylegan");
            Assert.NotNull(error);
            Assert.True(TorchRuntime.FastConvolutions, $"error {error}");
            Assert.True(LibTorchSwitches.MkldnnEnabled);
            Assert.True(ConvOps.ChannelPadding);
            Assert.Null(TorchRuntime.TryFastConvolutions(() => throw new InvalidOperationException("not called again"), "again"));
        }
        finally { TorchRuntime.UseSafeConvolutions(); }
        Assert.False(TorchRuntime.FastConvolutions);
        Assert.Equal(report.MkldnnEnabled, LibTorchSwitches.MkldnnEnabled);
        Assert.False(ConvOps.ChannelPadding);
    }

    [Fact]
    public void ComparisonReportsTheWorstTensorRelativeToTheSafePath()
    {
        var c = new NumericsComparison(0.02, 0.005, "x");
        Assert.Equal(0.05, c.Allowed, 12);
        Assert.True(c.Passed);
        Assert.False(new NumericsComparison(0.02, 1e-7, "y").Passed);
        Assert.False(new NumericsComparison(double.NaN, 0, "z").Passed);
        Assert.Equal("y", ModelNumerics.Worst(c, new NumericsComparison(0.02, 1e-7, "y")).Where);
    }
}
