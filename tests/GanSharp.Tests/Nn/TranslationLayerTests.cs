using TorchSharp;
using GanSharp.Nn;
using GanSharp.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Nn;

public class TranslationLayerTests
{
    public TranslationLayerTests() => TorchRuntime.EnsureInitialized();

    static Tensor X(int seed) => randn(new long[] { 3, 4, 5, 6 }, dtype: float64, generator: new Generator((ulong)seed)) * 2 + 0.5;

    [Fact]
    public void AdaLinWithRhoOneIsInstanceNormAndWithRhoZeroLayerNorm()
    {
        using var scope = NewDisposeScope();
        var x = X(1);
        var ones_ = ones(3, 4, dtype: float64);
        var zeros_ = zeros(3, 4, dtype: float64);
        foreach (var (rho, expected) in new[]
        {
            (1.0, F.instance_norm(x, eps: AdaLIN.Epsilon)),
            (0.0, F.layer_norm(x, new long[] { 4, 5, 6 }, eps: AdaLIN.Epsilon)),
        })
        {
            var layer = new AdaLIN(4, rhoInit: rho);
            layer.to(float64);
            using var _ = no_grad();
            Assert.True(allclose(layer.call(x, ones_, zeros_), expected, rtol: 1e-9, atol: 1e-10), $"rho = {rho}");
        }
        // γ and β act per sample and channel; ρ outside [0, 1] is clamped where used and clipped by ClipRho.
        var mixed = new AdaLIN(4, rhoInit: 0.25); // exact in float32
        mixed.to(float64);
        var gamma = randn(new long[] { 3, 4 }, dtype: float64);
        var beta = randn(new long[] { 3, 4 }, dtype: float64);
        using (no_grad())
        {
            var y = mixed.call(x, gamma, beta);
            var reference = (0.25 * F.instance_norm(x, eps: AdaLIN.Epsilon) + 0.75 * F.layer_norm(x, new long[] { 4, 5, 6 }, eps: AdaLIN.Epsilon))
                * gamma.reshape(3, 4, 1, 1) + beta.reshape(3, 4, 1, 1);
            Assert.True(allclose(y, reference, rtol: 1e-9, atol: 1e-10));
            mixed.Rho.fill_(1.7);
            Assert.True(allclose(mixed.call(x, ones_, zeros_), F.instance_norm(x, eps: AdaLIN.Epsilon), rtol: 1e-9, atol: 1e-10));
            mixed.ClipRho();
            Assert.Equal(1.0, mixed.Rho.max().item<double>());
        }
    }

    [Fact]
    public void AdaLinAndLinGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var layer = new AdaLIN(4, rhoInit: 0.6);
        layer.to(float64);
        var x = X(2).requires_grad_(true);
        var gamma = randn(new long[] { 3, 4 }, dtype: float64).requires_grad_(true);
        var beta = randn(new long[] { 3, 4 }, dtype: float64).requires_grad_(true);
        double err = GradCheck.MaxError(() => layer.call(x, gamma, beta), new[] { x, gamma, beta, layer.Rho });
        Assert.True(err < 1e-6, $"AdaLIN gradient error {err}");
        var lin = new LayerInstanceNorm(4);
        lin.to(float64);
        using (no_grad()) lin.Rho.fill_(0.4);
        err = GradCheck.MaxError(() => lin.call(x), new[] { x }.Concat(lin.parameters()).ToList());
        Assert.True(err < 1e-6, $"LIN gradient error {err}");
    }

    [Fact]
    public void CamReweightsTheMapsByTheClassifierWeightsAndGivesLogitsAndAHeatMap()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var cam = new ClassActivationAttention(4);
        cam.to(float64);
        var x = X(4);
        using var _ = no_grad();
        var (y, logits, heat) = cam.call(x);
        Assert.Equal(new long[] { 3, 4, 5, 6 }, y.shape);
        Assert.Equal(new long[] { 3, 2 }, logits.shape);
        Assert.Equal(new long[] { 3, 1, 5, 6 }, heat.shape);
        // Logits are the linear classifiers on the pooled features; the heat map sums the attended maps.
        Assert.True(allclose(logits[.., 0], x.mean(new long[] { 2, 3 }).matmul(cam.GapWeight.t()).squeeze(1)));
        Assert.True(allclose(logits[.., 1], x.amax(new long[] { 2, 3 }).matmul(cam.GmpWeight.t()).squeeze(1)));
        Assert.True(allclose(heat, y.sum(new long[] { 1 }, keepdim: true)));
        Assert.True(y.min().item<double>() >= 0); // ReLU in the generator's CAM
        // Zero classifier weights erase the attended maps: the output is relu(bias of the 1x1 mix) everywhere.
        cam.GapWeight.zero_(); cam.GmpWeight.zero_();
        var (flat, _, _) = cam.call(x);
        Assert.True(flat.std(new long[] { 2, 3 }).max().item<double>() < 1e-12);
        Assert.Throws<ArgumentException>(() => cam.call(randn(2, 3, 4, 4, dtype: float64)));
    }
}
