using GanSharp.Losses;
using GanSharp.Platform;
using TorchSharp;
using static GanSharp.Tests.Losses.GradCheck;
using static TorchSharp.torch;

namespace GanSharp.Tests.Losses;

public class AdversarialLossTests
{
    /// <summary>Every adversarial loss, for theories that must hold for each.</summary>
    public static TheoryData<AdversarialLoss> Every => new(Enum.GetValues<AdversarialLoss>());

    static readonly double[] Real = { 1.5, -0.5, 0.2 };
    static readonly double[] Fake = { -1.0, 0.3 };

    public AdversarialLossTests() => TorchRuntime.EnsureInitialized();

    static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));
    static double Mean(IEnumerable<double> v) => v.Average();
    static double Value(Tensor t) => t.item<double>();

    [Fact]
    public void MinimaxDiscriminatorLossIsTheCrossEntropyOfTheLogits()
    {
        using var scope = NewDisposeScope();
        double expected = -Mean(Real.Select(r => Math.Log(Sigmoid(r)))) - Mean(Fake.Select(f => Math.Log(1 - Sigmoid(f))));
        Assert.Equal(expected, Value(MinimaxLoss.Discriminator(T(Real), T(Fake))), 12);
    }

    [Fact]
    public void MinimaxGeneratorLossesMatchTheirDefinitions()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(Mean(Fake.Select(f => Math.Log(1 - Sigmoid(f)))), Value(MinimaxLoss.GeneratorMinimax(T(Fake))), 12);
        Assert.Equal(-Mean(Fake.Select(f => Math.Log(Sigmoid(f)))), Value(MinimaxLoss.GeneratorNonSaturating(T(Fake))), 12);
    }

    [Fact]
    public void MinimaxLossesStayFiniteForConfidentLogits()
    {
        using var scope = NewDisposeScope();
        // log σ(−200) underflows to −∞ when computed naively; softplus keeps it exact (≈ 200).
        var d = Value(MinimaxLoss.Discriminator(T(-200.0), T(200.0)));
        Assert.Equal(400, d, 9);
        Assert.Equal(200, Value(MinimaxLoss.GeneratorNonSaturating(T(-200.0))), 9);
        Assert.Equal(0, Value(MinimaxLoss.Discriminator(T(200.0), T(-200.0))), 12);
        Assert.Equal(-200, Value(MinimaxLoss.GeneratorMinimax(T(200.0))), 9);
    }

    [Fact]
    public void WassersteinLossesAndEstimate()
    {
        using var scope = NewDisposeScope();
        double meanReal = (1.5 - 0.5 + 0.2) / 3, meanFake = (-1.0 + 0.3) / 2;
        Assert.Equal(meanFake - meanReal, Value(WassersteinLoss.Critic(T(Real), T(Fake))), 12);
        Assert.Equal(-meanFake, Value(WassersteinLoss.Generator(T(Fake))), 12);
        Assert.Equal(meanReal - meanFake, WassersteinLoss.Estimate(T(Real), T(Fake)), 12);
    }

    [Fact]
    public void LeastSquaresLossesWithDefaultAndCustomTargets()
    {
        using var scope = NewDisposeScope();
        double d = 0.5 * Mean(Real.Select(r => (r - 1) * (r - 1))) + 0.5 * Mean(Fake.Select(f => f * f));
        Assert.Equal(d, Value(LeastSquaresLoss.Discriminator(T(Real), T(Fake))), 12);
        Assert.Equal(0.5 * Mean(Fake.Select(f => (f - 1) * (f - 1))), Value(LeastSquaresLoss.Generator(T(Fake))), 12);
        // The paper's a = −1, b = 1, c = 0 variant (minimises the Pearson χ² divergence).
        double d2 = 0.5 * Mean(Real.Select(r => (r - 1) * (r - 1))) + 0.5 * Mean(Fake.Select(f => (f + 1) * (f + 1)));
        Assert.Equal(d2, Value(LeastSquaresLoss.Discriminator(T(Real), T(Fake), fakeTarget: -1, realTarget: 1)), 12);
        Assert.Equal(0.5 * Mean(Fake.Select(f => f * f)), Value(LeastSquaresLoss.Generator(T(Fake), generatorTarget: 0)), 12);
    }

    [Fact]
    public void HingeLossesOnBothSidesOfTheMargin()
    {
        using var scope = NewDisposeScope();
        // relu(1 − [2, 0.5, −1]) = [0, 0.5, 2]; relu(1 + [−2, 0, 0.5]) = [0, 1, 1.5]
        Assert.Equal(2.5 / 3 + 2.5 / 3, Value(HingeLoss.Discriminator(T(2, 0.5, -1), T(-2, 0, 0.5))), 12);
        Assert.Equal(-(-2 + 0 + 0.5) / 3, Value(HingeLoss.Generator(T(-2, 0, 0.5))), 12);
    }

    [Theory]
    [MemberData(nameof(AdversarialLossTests.Every), MemberType = typeof(AdversarialLossTests))]
    public void FacadeGradientsMatchFiniteDifferences(AdversarialLoss kind)
    {
        using var scope = NewDisposeScope();
        // Scores away from the hinge's kinks at ±1.
        var real = T(1.5, -0.5, 0.2, 0.7);
        var fake = T(-1.3, 0.3, -0.4);
        AssertMatches(r => AdversarialLosses.DiscriminatorLoss(kind, r, fake), real);
        AssertMatches(f => AdversarialLosses.DiscriminatorLoss(kind, real, f), fake);
        AssertMatches(f => AdversarialLosses.GeneratorLoss(kind, f), fake);
    }

    [Fact]
    public void FacadeDispatchesToTheNamedLosses()
    {
        using var scope = NewDisposeScope();
        var r = T(Real);
        var f = T(Fake);
        void Same(Tensor a, Tensor b) => Assert.Equal(Value(a), Value(b), 15);
        Same(MinimaxLoss.Discriminator(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.Minimax, r, f));
        Same(MinimaxLoss.Discriminator(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.NonSaturating, r, f));
        Same(WassersteinLoss.Critic(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.Wgan, r, f));
        Same(WassersteinLoss.Critic(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.WganGp, r, f));
        Same(LeastSquaresLoss.Discriminator(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.Lsgan, r, f));
        Same(HingeLoss.Discriminator(r, f), AdversarialLosses.DiscriminatorLoss(AdversarialLoss.Hinge, r, f));
        Same(MinimaxLoss.GeneratorMinimax(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.Minimax, f));
        Same(MinimaxLoss.GeneratorNonSaturating(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.NonSaturating, f));
        Same(WassersteinLoss.Generator(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.Wgan, f));
        Same(WassersteinLoss.Generator(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.WganGp, f));
        Same(LeastSquaresLoss.Generator(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.Lsgan, f));
        Same(HingeLoss.Generator(f), AdversarialLosses.GeneratorLoss(AdversarialLoss.Hinge, f));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdversarialLosses.GeneratorLoss((AdversarialLoss)99, f));
    }

    [Fact]
    public void DefaultsFollowThePapers()
    {
        var wgan = AdversarialLosses.Defaults(AdversarialLoss.Wgan);
        Assert.Equal(new LossDefaults(OptimizerKind.RmsProp, 5e-5, 0, 0, 5, ClipValue: 0.01), wgan);
        var gp = AdversarialLosses.Defaults(AdversarialLoss.WganGp);
        Assert.Equal(new LossDefaults(OptimizerKind.Adam, 1e-4, 0, 0.9, 5, GradientPenaltyWeight: 10), gp);
        foreach (var kind in new[] { AdversarialLoss.Minimax, AdversarialLoss.NonSaturating, AdversarialLoss.Lsgan, AdversarialLoss.Hinge })
            Assert.Equal(new LossDefaults(OptimizerKind.Adam, 2e-4, 0.5, 0.999, 1), AdversarialLosses.Defaults(kind));
        foreach (var kind in Enum.GetValues<AdversarialLoss>())
            AdversarialLosses.Defaults(kind).Validate();
    }

    [Fact]
    public void DefaultsValidationNamesTheBadSetting()
    {
        var d = AdversarialLosses.Defaults(AdversarialLoss.WganGp);
        Assert.Contains("learning rate", Assert.Throws<GanSharpException>(() => (d with { LearningRate = 0 }).Validate()).Message);
        Assert.Contains("betas", Assert.Throws<GanSharpException>(() => (d with { Beta2 = 1 }).Validate()).Message);
        Assert.Contains("critic steps", Assert.Throws<GanSharpException>(() => (d with { CriticSteps = 0 }).Validate()).Message);
        Assert.Contains("clip", Assert.Throws<GanSharpException>(() => (d with { ClipValue = -1 }).Validate()).Message);
        Assert.Contains("penalty", Assert.Throws<GanSharpException>(() => (d with { GradientPenaltyWeight = double.NaN }).Validate()).Message);
    }
}
