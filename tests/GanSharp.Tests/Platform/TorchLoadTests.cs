using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Platform;

[Collection(GlobalTorchStateCollection.Name)] // reads the oneDNN switch that other tests toggle
public class TorchLoadTests
{
    [Fact]
    public void LibtorchLoadsAndTrainsInTheTestProcess()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(7);
        // Fit y = 3x - 1 with a linear layer: the loss must fall by orders of magnitude.
        var x = rand(new long[] { 64, 1 });
        var y = 3 * x - 1;
        var model = nn.Linear(1, 1);
        var opt = optim.Adam(model.parameters(), lr: 0.1);
        double first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var loss = F.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 1e-3, $"loss {first} -> {last}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void ConvInputGradientMatchesFloat64AfterStartUp(int outChannels)
    {
        // Fails on this project's CPUs without the numerics check: oneDNN's conv input gradient is wrong or NaN
        // when the output channel count is not a multiple of 16 (PLATFORM.md).
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var gen = new Generator(99);
        // Stride-1 convolutions are the ones oneDNN gets wrong here (3x3 "same" and a 4x4 "valid" head).
        foreach (var (inChannels, k, stride, pad) in new[] { (64, 3, 1, 1), (512, 4, 1, 0), (16, 3, 1, 1), (64, 4, 2, 1) })
        {
            var x = randn(new long[] { 4, inChannels, 8, 8 }, dtype: float64, generator: gen);
            var w = randn(new long[] { outChannels, inChannels, k, k }, dtype: float64, generator: gen) * 0.05;
            Tensor InputGrad(ScalarType t)
            {
                var xi = x.to(t).detach().requires_grad_(true);
                var y = F.conv2d(xi, w.to(t), strides: new long[] { stride, stride }, padding: new long[] { pad, pad });
                var g = ones_like(y);
                return autograd.grad(new[] { y }, new[] { xi }, new[] { g })[0].to(float64);
            }
            var err = (InputGrad(float32) - InputGrad(float64)).abs().max().item<double>();
            Assert.True(err < 1e-4, $"{inChannels}->{outChannels} k{k} s{stride} p{pad}: max error {err}");
        }
    }

    [Fact]
    public void ConvTransposeForwardMatchesFloat64AfterStartUp()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        foreach (var (cin, cout) in new[] { (3, 64), (100, 64), (8, 16) })
        {
            var x = randn(new long[] { 2, cin, 4, 4 }, dtype: float64, generator: gen);
            var w = randn(new long[] { cin, cout, 4, 4 }, dtype: float64, generator: gen) * 0.05;
            var a = F.conv_transpose2d(x.to(float32), w.to(float32), strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 }).to(float64);
            var b = F.conv_transpose2d(x, w, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
            var err = (a - b).abs().max().item<double>();
            Assert.True(err < 1e-4, $"{cin}->{cout}: max error {err}");
        }
    }

    [Fact]
    public void SelfCheckReportsAConsistentDecision()
    {
        var r = TorchRuntime.EnsureInitialized();
        Assert.True(r.ErrorAfter <= TorchRuntime.Tolerance, r.Decision);
        // oneDNN as the start-up check left it, unless a model-level check or --conv safe ruled it out, or the verified fast path is on.
        Assert.Equal((r.MkldnnEnabled && !TorchRuntime.OneDnnVetoed) || TorchRuntime.FastConvolutions, LibTorchSwitches.MkldnnEnabled);
        if (r.ErrorWithMkldnn > TorchRuntime.Tolerance) Assert.False(r.MkldnnEnabled);
    }

    [Fact]
    public void DeviceResolution()
    {
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("cpu").type);
        var auto = TorchRuntime.ResolveDevice("auto");
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, auto.type);
        if (!cuda.is_available())
        {
            var e = Assert.Throws<GanSharpException>(() => TorchRuntime.ResolveDevice("cuda"));
            Assert.Contains("no CUDA device", e.Message);
        }
        Assert.Throws<GanSharpException>(() => TorchRuntime.ResolveDevice("tpu"));
    }
}
