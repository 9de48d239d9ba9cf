using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Nn;

public class AdaptiveAugmentTests
{
    public AdaptiveAugmentTests() => TorchRuntime.EnsureInitialized();

    static Tensor Images(int seed, long n, long size) =>
        rand(new long[] { n, 3, size, size }, dtype: float64, generator: new Generator((ulong)seed)) * 2 - 1; // [N, 3, S, S]

    [Theory]
    [InlineData(DiffAugmentPolicy.Color)]
    [InlineData(DiffAugmentPolicy.All)]
    public void GatedAugmentationIsDifferentiable(DiffAugmentPolicy policy)
    {
        using var scope = NewDisposeScope();
        var x = Images(1, 4, 8).requires_grad_(true);
        // The same seed for every evaluation: the finite differences see the same transforms and the same gates.
        double err = GradCheck.MaxError(() => DiffAugment.Apply(x, policy, new Generator(42), probability: 0.5), new[] { x });
        Assert.True(err < 1e-6, $"max gradient error {err}");
        var grad = autograd.grad(new[] { DiffAugment.Apply(x, policy, new Generator(42), 0.5).square().sum() }, new[] { x })[0];
        Assert.True(grad.abs().sum().item<double>() > 0, "no gradient reaches the input");
    }

    [Fact]
    public void ProbabilityGatesEachImageAndItsEndsAreThePlainPolicyAndTheIdentity()
    {
        using var scope = NewDisposeScope();
        var x = Images(2, 64, 8);
        Assert.True(GradCheck.Same(DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(5)), DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(5), 1.0)));
        Assert.True(GradCheck.Same(x, DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(5), 0.0)));
        var y = DiffAugment.Apply(x, DiffAugmentPolicy.Color, new Generator(5), 0.25);
        long untouched = (y - x).abs().amax(new long[] { 1, 2, 3 }).eq(0).sum().item<long>();
        Assert.InRange(untouched, 36, 60); // about 48 of 64 (binomial sd 3.5)
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffAugment.Apply(x, DiffAugmentPolicy.All, null, 1.5));
    }

    [Fact]
    public void ProbabilityRisesWhileDIsOverconfidentOnRealsAndFallsOtherwise()
    {
        var ada = new AdaptiveAugmentProbability(initial: 0, interval: 4, speedImages: 10_000);
        var confident = full(new long[] { 32 }, 5.0); // every real scored as real: r_t = 1 > 0.6
        for (int step = 1; step <= 40; step++)
        {
            bool adjusted = ada.Observe(confident);
            Assert.Equal(step % 4 == 0, adjusted);
        }
        Assert.Equal(1.0, ada.LastOverfitting);
        Assert.Equal(10 * 32 * 4 / 10_000.0, ada.Probability, 12); // 10 adjustments of batch · interval / speed
        var unsure = tensor(new[] { 1.0, -1.0, 2.0, -3.0 }); // r_t = 0 < 0.6
        for (int step = 0; step < 400; step++) ada.Observe(unsure);
        Assert.Equal(0.0, ada.Probability); // fell, clipped at 0
        for (int step = 0; step < 4000; step++) ada.Observe(confident);
        Assert.Equal(1.0, ada.Probability); // clipped at 1
    }

    [Fact]
    public void StateRoundTripsThroughJsonAndContinuesExactly()
    {
        var a = new AdaptiveAugmentProbability(initial: 0.3, interval: 4, speedImages: 64);
        var scores = tensor(new[] { 2.0, 1.0, -1.0, 3.0 });
        for (int i = 0; i < 6; i++) a.Observe(scores); // one adjustment, then two steps into the next interval
        var json = CheckpointWriter.ToJson(a.State);
        var b = new AdaptiveAugmentProbability(interval: 4, speedImages: 64);
        b.Restore(json.Deserialize<AdaptiveAugmentState>(CheckpointManifest.JsonOptions)!);
        Assert.Equal(a.State, b.State);
        for (int i = 0; i < 2; i++) { a.Observe(-scores); b.Observe(-scores); }
        Assert.Equal(a.Probability, b.Probability);
        Assert.Throws<GanSharpException>(() => b.Restore(new AdaptiveAugmentState(1.5, 0, 0, 0)));
    }
}
