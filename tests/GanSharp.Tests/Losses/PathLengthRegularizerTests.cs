using GanSharp.Losses;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Losses;

public class PathLengthRegularizerTests
{
    public PathLengthRegularizerTests() => TorchRuntime.EnsureInitialized();

    static Tensor Randn(int seed, params long[] shape) => randn(shape, dtype: float64, generator: new Generator((ulong)seed));

    /// <summary>
    /// A linear "generator" images = reshape(A · flatten(w+)) has J_wᵀ y = Aᵀ y per sample, so ℓ = √(mean_K Σ_S (Aᵀy)²) and
    /// the penalty is mean((ℓ − a)²) with a moved by the decay before it is used: by hand, over two calls.
    /// </summary>
    [Fact]
    public void PenaltyMatchesTheJacobianFormulaAndTheMeanMovesFirst()
    {
        using var scope = NewDisposeScope();
        const long n = 5, k = 3, s = 4, c = 2, h = 3, w = 3;
        var a = Randn(1, c * h * w, k * s);                                          // [CHW, KS]
        var styles = Randn(2, n, k, s).requires_grad_(true);                         // [N, K, S]
        Tensor Images(Tensor ws) => ws.flatten(1).matmul(a.t()).view(n, c, h, w);     // [N, C, H, W]
        var reg = new PathLengthRegularizer(decay: 0.25);
        double mean = 0;
        for (int call = 0; call < 2; call++)
        {
            var y = Randn(10 + call, n, c, h, w) / Math.Sqrt(h * w);
            double penalty = reg.Penalty(Images(styles), styles, y).item<double>();
            var jty = y.flatten(1).matmul(a).view(n, k, s);                         // Aᵀy per sample, [N, K, S]
            var lengths = jty.square().sum(2).mean(new long[] { 1 }).sqrt();          // [N]
            mean += 0.25 * (lengths.mean().item<double>() - mean);
            Assert.Equal(mean, reg.Mean, 12);
            Assert.Equal((lengths - mean).square().mean().item<double>(), penalty, 12);
        }
        Assert.Equal(2, reg.Updates);
        // Plain w [N, S]: ℓ = ‖Aᵀy‖ without the layer mean.
        var a2 = Randn(3, c * h * w, s);
        var w2 = Randn(4, n, s).requires_grad_(true);
        var y2 = Randn(5, n, c, h, w);
        var reg2 = new PathLengthRegularizer(decay: 1);                               // a = this batch's mean length
        double p2 = reg2.Penalty(w2.matmul(a2.t()).view(n, c, h, w), w2, y2).item<double>();
        var l2 = y2.flatten(1).matmul(a2).norm(1);
        Assert.Equal((l2 - l2.mean()).square().mean().item<double>(), p2, 12);
    }

    /// <summary>
    /// The penalty's gradient with respect to the generator's weights (a double backward through tanh) against central
    /// differences in float64. The running mean is pinned (decay 1e-12) so the checked function is the penalty at fixed a.
    /// </summary>
    [Fact]
    public void PenaltyGradientWithRespectToTheWeightsMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        const long n = 3, k = 2, s = 3;
        var styles = Randn(6, n, k, s);
        var y = Randn(7, n, 1, 2, 2) / 2;
        GradCheck.AssertMatches(theta =>
        {
            var reg = new PathLengthRegularizer(decay: 1e-12);
            reg.Restore(new PathLengthState(0.3, 1));
            var ws = styles.clone().requires_grad_(true);
            var images = tanh(ws.flatten(1).matmul(theta.view(k * s, 4))).view(n, 1, 2, 2);
            return reg.Penalty(images, ws, y);
        }, Randn(8, k * s * 4) * 0.5, tolerance: 1e-5);
    }

    /// <summary>
    /// Minimising the penalty alone makes a small StyleGAN2's path lengths more uniform: the coefficient of variation of ℓ
    /// over 256 fixed (z, noise, y) falls. (Its floor is not 0: ℓ varies with y even for an isometric generator.)
    /// </summary>
    [Fact]
    public void TrainingOnThePenaltyMakesPathLengthsMoreUniform()
    {
        var g = new StyleGan2Generator(new StyleGanConfig(Resolution: 8, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 8));
        using (var init = new Generator(3))
        using (no_grad())
            foreach (var p in g.parameters()) p.copy_(randn(p.shape, generator: init) * (p.dim() > 1 ? 1.0 : 0.1));
        var z = randn(new long[] { 256, 8 }, generator: new Generator(4));
        var noise = g.MakeNoise(256, new Generator(5));
        var y = PathLengthRegularizer.Direction(new long[] { 256, 3, 8, 8 }, ScalarType.Float32, CPU, new Generator(6));
        double Spread()
        {
            using var s = NewDisposeScope();
            var ws = g.Map(z).unsqueeze(1).expand(-1, g.StyleCount, -1);
            var lengths = new PathLengthRegularizer(decay: 1);
            lengths.Penalty(g.Synthesize(ws, noise), ws, y);                           // a = the mean length; penalty = its variance
            return Math.Sqrt(lengths.Penalty(g.Synthesize(ws, noise), ws, y).ToDouble()) / lengths.Mean;
        }
        double before = Spread();
        var reg = new PathLengthRegularizer(decay: 0.1);
        var opt = optim.Adam(g.parameters(), lr: 0.005);
        using var rng = new Generator(7);
        var trace = new List<double>();
        for (int step = 0; step < 80; step++)   // measured: 0.43 → 0.28, falling all the way
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            var ws = g.Map(g.SampleLatents(32, rng)).unsqueeze(1).expand(-1, g.StyleCount, -1);
            var images = g.Synthesize(ws, g.MakeNoise(32, rng));
            reg.Penalty(images, ws, PathLengthRegularizer.Direction(images.shape, images.dtype, CPU, rng)).backward();
            opt.step();
            if (step % 10 == 0) trace.Add(Spread());
        }
        double after = Spread();
        Assert.True(after < 0.8 * before, $"coefficient of variation of the path lengths {before:F3} → {after:F3}: {string.Join(" ", trace.Select(t => t.ToString("F3")))}");
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeAutograd()
    {
        var reg = new PathLengthRegularizer();
        var ws = zeros(2, 3);
        Assert.Throws<ArgumentException>(() => reg.Penalty(zeros(2, 1, 2, 2), ws, zeros(2, 1, 2, 2)));             // no graph
        Assert.Throws<ArgumentException>(() => reg.Penalty(zeros(2, 1, 2, 2).requires_grad_(true), ws, zeros(2, 1, 2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PathLengthRegularizer(0));
        Assert.Throws<GanSharpException>(() => reg.Restore(new PathLengthState(double.NaN, 1)));
    }
}
