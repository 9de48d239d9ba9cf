using GanSharp.Losses;
using GanSharp.Platform;
using TorchSharp;
using static GanSharp.Tests.Losses.GradCheck;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Losses;

public class PenaltyTests
{
    static readonly double[] W = { 0.3, -1.2, 2.0, 0.5 };
    static readonly double WNorm = Math.Sqrt(W.Sum(w => w * w));

    public PenaltyTests() => TorchRuntime.EnsureInitialized();

    static Tensor Images(int seed, params long[] shape) => randn(shape, dtype: float64, generator: new Generator((ulong)seed));

    /// <summary>A small non-linear critic over 4 inputs with its weights as one tensor [4*3 + 3]: tanh(xW1)·w2.</summary>
    static Func<Tensor, Tensor> Mlp(Tensor theta) => x =>
    {
        var w1 = theta[..12].view(4, 3);
        var w2 = theta[12..];
        return tanh(x.flatten(1).matmul(w1)).matmul(w2);                                       // [N]
    };

    /// <summary>A small conv critic on [N, 1, 4, 4]: tanh(conv3x3(x; 2 channels)) averaged, weights [2, 1, 3, 3].</summary>
    static Func<Tensor, Tensor> ConvCritic(Tensor weight) => x =>
        tanh(F.conv2d(x, weight, padding: new long[] { 1, 1 })).mean(new long[] { 1, 2, 3 });  // [N]

    [Fact]
    public void GradientPenaltyOfALinearCriticIsLambdaTimesNormMinusOneSquared()
    {
        using var scope = NewDisposeScope();
        var w = T(W);
        var gp = Penalties.GradientPenalty(x => x.matmul(w) + 0.7, Images(1, 5, 4), Images(2, 5, 4), lambda: 10);
        Assert.Equal(10 * (WNorm - 1) * (WNorm - 1), gp.item<double>(), 10);
        // Images [N, C, H, W] with the critic flattening them; λ passes through linearly; [N, 1] scores work.
        var gpImages = Penalties.GradientPenalty(x => x.flatten(1).matmul(w).unsqueeze(1), Images(3, 3, 1, 2, 2), Images(4, 3, 1, 2, 2), lambda: 2.5);
        Assert.Equal(2.5 * (WNorm - 1) * (WNorm - 1), gpImages.item<double>(), 10);
    }

    /// <summary>
    /// The interpolation itself, pinned with a critic whose gradient depends on where it is taken: D(x) = Σ x³ has
    /// ∇D(x̂) = 3x̂², so the penalty is λ·mean((‖3x̂²‖ − 1)²) at x̂ = ε·real + (1 − ε)·fake with ε ~ U(0, 1) per sample,
    /// drawn from the given generator. Interpolating the other way round, or at one ε for the batch, changes the value.
    /// </summary>
    [Fact]
    public void GradientPenaltyInterpolatesRealAndFakeWithOneUniformEpsilonPerSample()
    {
        var real = Images(31, 5, 2, 3);
        var fake = Images(32, 5, 2, 3);
        static Tensor Cube(Tensor x) => x.pow(3).sum(new long[] { 1, 2 });                          // [N]
        double gp = Penalties.GradientPenalty(Cube, real, fake, lambda: 4, rng: new Generator(9)).item<double>();
        var eps = rand(new long[] { 5, 1, 1 }, dtype: float64, generator: new Generator(9));          // the same draw
        double Expected(Tensor e)
        {
            var mixed = e * real + (1 - e) * fake;                                                    // [N, 2, 3]
            var norms = (3 * mixed.square()).flatten(1).norm(1);                                      // [N]
            return 4 * (norms - 1).square().mean().item<double>();
        }
        Assert.Equal(Expected(eps), gp, 10);
        Assert.NotEqual(Expected(1 - eps), gp, 3);                                  // ε on the fake side instead
        Assert.NotEqual(Expected(eps[..1].expand(5, 1, 1)), gp, 3);                 // one ε for the whole batch
    }

    [Fact]
    public void GradientPenaltyTrainsALinearModuleCriticsWeights()
    {
        using var scope = NewDisposeScope();
        var critic = nn.Linear(4, 1, dtype: float64);
        using (no_grad()) critic.weight!.copy_(T(W).view(1, 4));
        var gp = Penalties.GradientPenalty(x => critic.call(x).squeeze(1), Images(1, 6, 4), Images(2, 6, 4));
        gp.backward();
        // d/dw λ(‖w‖ − 1)² = 2λ(‖w‖ − 1)·w/‖w‖; the bias does not change the input gradient.
        var grad = critic.weight!.grad!.view(4).data<double>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(2 * 10 * (WNorm - 1) * W[i] / WNorm, grad[i], 10);
        var biasGrad = critic.bias!.grad;
        Assert.True(biasGrad is null || biasGrad.abs().max().item<double>() == 0);
    }

    [Fact]
    public void GradientPenaltyGradientOnCriticWeightsMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var real = Images(10, 3, 4);
        var fake = Images(11, 3, 4);
        var theta = Images(12, 15) * 0.8;
        // The same seed each evaluation draws the same ε, so the penalty is a deterministic function of θ.
        AssertMatches(t => Penalties.GradientPenalty(Mlp(t), real, fake, rng: new Generator(77)), theta);
    }

    [Fact]
    public void GradientPenaltyThroughAConvCriticMatchesFiniteDifferencesAndReachesAModule()
    {
        using var scope = NewDisposeScope();
        var real = Images(20, 2, 1, 4, 4);
        var fake = Images(21, 2, 1, 4, 4);
        AssertMatches(w => Penalties.GradientPenalty(ConvCritic(w), real, fake, rng: new Generator(5)), Images(22, 2, 1, 3, 3));

        var conv = nn.Conv2d(1, 1, 3, padding: 1, dtype: float64);
        var gp = Penalties.GradientPenalty(x => tanh(conv.call(x)).mean(new long[] { 1, 2, 3 }), real, fake, rng: new Generator(5));
        gp.backward();
        Assert.True(conv.weight!.grad!.abs().max().item<double>() > 0);
    }

    [Fact]
    public void GradientPenaltyIsReproducibleWithASeededGenerator()
    {
        using var scope = NewDisposeScope();
        var theta = Images(12, 15);
        var real = Images(10, 3, 4);
        var fake = Images(11, 3, 4);
        double a = Penalties.GradientPenalty(Mlp(theta), real, fake, rng: new Generator(3)).item<double>();
        double b = Penalties.GradientPenalty(Mlp(theta), real, fake, rng: new Generator(3)).item<double>();
        double c = Penalties.GradientPenalty(Mlp(theta), real, fake, rng: new Generator(4)).item<double>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Throws<ArgumentException>(() => Penalties.GradientPenalty(Mlp(theta), real, Images(1, 2, 4)));
    }

    [Fact]
    public void GradientPenaltyDoesNotTrainTheGenerator()
    {
        using var scope = NewDisposeScope();
        var fake = Images(2, 5, 4).requires_grad_(true);
        var w = T(W).requires_grad_(true);
        Penalties.GradientPenalty(x => tanh(x.matmul(w)), Images(1, 5, 4), fake).backward();
        Assert.True(fake.grad is null || fake.grad.abs().max().item<double>() == 0);
        Assert.True(w.grad!.abs().max().item<double>() > 0);
    }

    [Fact]
    public void R1OfALinearCriticIsHalfGammaTimesSquaredNorm()
    {
        using var scope = NewDisposeScope();
        var w = T(W);
        var x = Images(1, 5, 4).requires_grad_(true);
        var scores = x.matmul(w) - 0.3;
        Assert.Equal(0.5 * 10 * WNorm * WNorm, Penalties.R1Penalty(scores, x, gamma: 10).item<double>(), 10);
        // Lazy regularisation every 16 steps multiplies by 16.
        Assert.Equal(16 * 0.5 * 10 * WNorm * WNorm, Penalties.R1Penalty(scores, x, gamma: 10, interval: 16).item<double>(), 9);
    }

    [Fact]
    public void R1TrainsALinearModuleCriticsWeights()
    {
        using var scope = NewDisposeScope();
        var critic = nn.Linear(4, 1, dtype: float64);
        using (no_grad()) critic.weight!.copy_(T(W).view(1, 4));
        var x = Images(1, 6, 4).requires_grad_(true);
        Penalties.R1Penalty(critic.call(x).squeeze(1), x, gamma: 2, interval: 4).backward();
        // d/dw k·γ/2·‖w‖² = k·γ·w
        var grad = critic.weight!.grad!.view(4).data<double>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(4 * 2 * W[i], grad[i], 10);
    }

    [Fact]
    public void R1GradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var theta = Images(30, 15) * 0.8;
        var x = Images(31, 3, 4);
        // With respect to the critic's weights (what training uses) ...
        AssertMatches(t =>
        {
            var xi = x.detach().requires_grad_(true);
            return Penalties.R1Penalty(Mlp(t)(xi), xi, gamma: 3);
        }, theta);
        // ... and with respect to the real images.
        AssertMatches(xi => Penalties.R1Penalty(Mlp(theta)(xi), xi, gamma: 3), x);
        // Through a conv critic.
        var images = Images(32, 2, 1, 4, 4);
        AssertMatches(w =>
        {
            var xi = images.detach().requires_grad_(true);
            return Penalties.R1Penalty(ConvCritic(w)(xi), xi, gamma: 1, interval: 2);
        }, Images(33, 2, 1, 3, 3));
    }

    [Fact]
    public void R1RejectsImagesThatDoNotRequireGradAndBadIntervals()
    {
        using var scope = NewDisposeScope();
        var w = T(W);
        var x = Images(1, 5, 4);
        var e = Assert.Throws<ArgumentException>(() => Penalties.R1Penalty(x.matmul(w), x, gamma: 1));
        Assert.Contains("require grad", e.Message);
        var xg = x.detach().requires_grad_(true);
        Assert.Throws<ArgumentOutOfRangeException>(() => Penalties.R1Penalty(xg.matmul(w), xg, gamma: 1, interval: 0));
    }

    [Fact]
    public void PenaltiesOfCriticsThatIgnoreTheirInputAndOfDetachedScores()
    {
        using var scope = NewDisposeScope();
        var w = T(W).requires_grad_(true);
        var real = Images(1, 3, 4);
        // A critic that ignores its input has gradient 0: GP = λ·(0 − 1)², R1 = 0.
        Func<Tensor, Tensor> constant = x => w.sum().expand(x.shape[0]);
        Assert.Equal(10, Penalties.GradientPenalty(constant, real, Images(2, 3, 4)).item<double>(), 12);
        var x = real.detach().requires_grad_(true);
        Assert.Equal(0, Penalties.R1Penalty(constant(x), x, gamma: 10).item<double>(), 12);
        // Scores without a graph are an ArgumentException, not a native abort.
        Assert.Throws<ArgumentException>(() => Penalties.GradientPenalty(x => x.matmul(w).detach(), real, Images(2, 3, 4)));
        Assert.Throws<ArgumentException>(() => Penalties.R1Penalty(x.matmul(w).detach(), x, gamma: 1));
    }

    [Fact]
    public void ClipWeightsBoundsEveryParameterAndKeepsSmallOnes()
    {
        using var scope = NewDisposeScope();
        var critic = nn.Sequential(nn.Linear(4, 8, dtype: float64), nn.Tanh(), nn.Linear(8, 1, dtype: float64));
        using (no_grad())
            foreach (var p in critic.parameters()) p.copy_(randn(p.shape, dtype: float64, generator: new Generator(9)));
        using (no_grad()) critic.parameters().First().view(-1)[0] = 0.004;
        WassersteinLoss.ClipWeights(critic, 0.01);
        foreach (var p in critic.parameters())
        {
            Assert.True(p.abs().max().item<double>() <= 0.01);
            Assert.True(p.requires_grad);
        }
        Assert.Equal(0.004, critic.parameters().First().view(-1)[0].item<double>(), 15);
        Assert.Equal(0.01, critic.parameters().Max(p => p.abs().max().item<double>()), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => WassersteinLoss.ClipWeights(critic, 0));
    }
}
