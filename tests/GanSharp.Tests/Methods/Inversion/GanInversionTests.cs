using GanSharp.Diagnostics;
using GanSharp.Methods.Inversion;
using GanSharp.Metrics;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class GanInversionTests
{
    /// <summary>
    /// A DCGAN image from a known z is recovered by optimising z from a random start: the tiny generator has an
    /// 8-dimensional z, so 150 Adam steps with the pixel loss reach it. Bound: PSNR above 40 dB for every image
    /// (measured 65–70 dB).
    /// </summary>
    [Fact]
    public void RecoversAnImageGeneratedFromAKnownLatentAndTheLossFalls()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(21);
        var zTrue = randn(new long[] { 3, 8 }, generator: new Generator(22));
        Tensor target;
        using (no_grad()) target = g.Synthesize(zTrue);
        var result = GanInversion.Invert(g, target, new InversionOptions(LatentSpace.Z, Steps: 150, LearningRate: 0.1, Seed: 1, PerceptualWeight: 0, LatentPriorWeight: 0));
        Assert.Equal(new long[] { 3, 8 }, result.Codes.shape);
        Assert.Equal(target.shape, result.Reconstructions.shape);
        Assert.Equal(new long[] { 3 }, result.Losses.shape);
        var psnr = ImageQuality.Psnr(result.Reconstructions, target);
        Assert.True(psnr.min().item<float>() > 40, $"PSNR per image {string.Join(", ", psnr.data<float>().ToArray())} dB");
        Assert.True(result.LossHistory[^1] < 1e-3 * result.LossHistory[0], $"loss {result.LossHistory[0]} → {result.LossHistory[^1]}");
        Assert.True(result.Losses.max().item<float>() < 1e-4f);
    }

    /// <summary>With the perceptual term (a tiny random φ here) the objective still falls and the pixels get closer.</summary>
    [Fact]
    public void WithThePerceptualTermTheLossFalls()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(24);
        Tensor target;
        using (no_grad()) target = g.Synthesize(randn(new long[] { 2, 8 }, generator: new Generator(25)));
        var result = GanInversion.Invert(g, target, new InversionOptions(LatentSpace.W, Steps: 60, LearningRate: 0.1, PerceptualWeight: 1),
            perceptual: InversionTestModels.Phi(26));
        Tensor start;
        using (no_grad()) start = g.Synthesize(zeros(2, 8));
        Assert.True(result.LossHistory[^1] < 0.5 * result.LossHistory[0], $"loss {result.LossHistory[0]} → {result.LossHistory[^1]}");
        Assert.True(ImageQuality.MeanPsnr(result.Reconstructions, target) > ImageQuality.MeanPsnr(start, target) + 3);
    }

    [Fact]
    public void StyleGanInversionInWAndWPlusImprovesOnTheMeanLatentStart()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.StyleGan(31);
        Tensor target;
        using (no_grad()) target = g.Synthesize(g.Map(randn(new long[] { 2, 8 }, generator: new Generator(32))), g.MakeNoise(2, new Generator(33)));
        Tensor start;
        using (no_grad()) start = g.Synthesize(g.MeanLatent.expand(2, -1), g.MakeNoise(2, new Generator(33)));
        double before = ImageQuality.MeanPsnr(start, target);
        foreach (var space in new[] { LatentSpace.W, LatentSpace.WPlus })
        {
            var result = GanInversion.Invert(g, target, new InversionOptions(space, Steps: 60, LearningRate: 0.05, PerceptualWeight: 0));
            Assert.Equal(space == LatentSpace.W ? new long[] { 2, 8 } : new long[] { 2, 6, 8 }, result.Codes.shape);
            Assert.Equal(6, result.Noise.Count);
            double after = ImageQuality.MeanPsnr(result.Reconstructions, target);
            Assert.True(after > before + 3, $"{space}: PSNR {before:0.0} → {after:0.0} dB");
        }
    }

    [Fact]
    public void NoiseMapsAreOptimisedWhenAsked()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.StyleGan(34);
        using (no_grad()) foreach (var (name, p) in g.named_parameters()) if (name.Contains("noise")) p.fill_(0.5);
        var target = InversionTestModels.Images(35, 1, 3, 16);
        var fixedNoise = GanInversion.Invert(g, target, new InversionOptions(LatentSpace.W, Steps: 3, PerceptualWeight: 0, Seed: 4));
        var optimised = GanInversion.Invert(g, target, new InversionOptions(LatentSpace.W, Steps: 3, PerceptualWeight: 0, Seed: 4, OptimiseNoise: true));
        var reference = g.MakeNoise(1, new Generator(0)); // shapes only
        Assert.Equal(reference[0].shape, fixedNoise.Noise[0].shape);
        Assert.False(fixedNoise.Noise[0].allclose(optimised.Noise[0]));
    }

    [Fact]
    public void ReportsProgressLeavesTheGeneratorAsFoundAndHonoursCancellation()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(41);
        g.train();
        var target = InversionTestModels.Images(42, 5, 1, 28);
        var seen = new List<InversionProgress>();
        GanInversion.Invert(g, target, new InversionOptions(LatentSpace.W, Steps: 4, BatchSize: 2), progress: new SyncProgress<InversionProgress>(seen.Add));
        Assert.Equal(12, seen.Count); // 3 batches × 4 steps
        Assert.Equal(new InversionProgress(4, 4, 2, 3, seen[^1].Loss), seen[^1]);
        Assert.Equal(1.0, seen[^1].Fraction, 6);
        Assert.True(g.training);
        Assert.All(g.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(g.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => GanInversion.Invert(g, target, new InversionOptions(Steps: 4), cancel: cts.Token));
    }

    [Fact]
    public void StartsFromGivenCodesAndRefusesMismatchedInputs()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(51);
        var z = randn(new long[] { 2, 8 }, generator: new Generator(52));
        Tensor target;
        using (no_grad()) target = g.Synthesize(z);
        var result = GanInversion.Invert(g, target, new InversionOptions(LatentSpace.WPlus, Steps: 1, LearningRate: 1e-6, LatentPriorWeight: 0), initialCodes: z);
        Assert.Equal(new long[] { 2, 1, 8 }, result.Codes.shape);
        Assert.True(result.Losses.max().item<float>() < 1e-6f);
        Assert.Throws<GanSharpException>(() => GanInversion.Invert(g, InversionTestModels.Images(1, 2, 3, 28), new InversionOptions(Steps: 1)));
        Assert.Throws<GanSharpException>(() => GanInversion.Invert(g, target, new InversionOptions(Steps: 1), initialCodes: zeros(2, 5)));
        Assert.Throws<GanSharpException>(() => new InversionOptions(Steps: 0).Validate());
    }

    [Fact]
    public void SchedulesWarmUpAndDecay()
    {
        Assert.Equal(0.5, LearningRateSchedule.Constant.Factor(0, 100, 0.02), 9);
        Assert.Equal(1.0, LearningRateSchedule.Constant.Factor(50, 100, 0.02), 9);
        Assert.Equal(0.0, LearningRateSchedule.Cosine.Factor(99, 100, 0.0), 9);
        Assert.Equal(0.5, LearningRateSchedule.Cosine.Factor(1, 3, 0.0), 9);
        Assert.Equal(0.1, LearningRateSchedule.Step.Factor(90, 100, 0.0), 9);
        Assert.Equal(1.0, LearningRateSchedule.Step.Factor(10, 100, 0.0), 9);
        Assert.Equal(LatentSpace.WPlus, LatentSpaces.Parse("w+"));
        Assert.Throws<GanSharpException>(() => LatentSpaces.Parse("s"));
    }
}
