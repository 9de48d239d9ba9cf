using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Metrics;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class RestorationTests
{
    /// <summary>
    /// Inpainting the middle half of an image the tiny DCGAN generated: the known pixels pin down the 8-d code, so the
    /// restored box is far closer to the truth than the gray hole (measured at 40 steps: 19.8 dB degraded → 28.6 dB single code, 27.3 dB mGANprior).
    /// </summary>
    [Theory]
    [InlineData(PriorMethod.Single)]
    [InlineData(PriorMethod.MultiCode)]
    public void InpaintingImprovesOnTheDegradedInputAndIsDeterministic(PriorMethod method)
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(71);
        Tensor truth;
        using (no_grad()) truth = g.Synthesize(randn(new long[] { 2, 8 }, generator: new Generator(72)));
        var op = Degradations.Create(RestorationTask.Inpaint, g.Output);
        var observed = op.Observe(truth);
        var options = new InversionOptions(LatentSpace.Z, Steps: 40, LearningRate: 0.1, PerceptualWeight: 0, Seed: 5);
        var multi = new MultiCodeOptions(Codes: 2, Layer: 0);
        var result = GanRestoration.Restore(g, observed, op, method, options, multi);
        double before = ImageQuality.MeanPsnr(observed, truth), after = ImageQuality.MeanPsnr(result.Restored, truth);
        Assert.True(after > before + 6, $"PSNR {before:0.0} → {after:0.0} dB");
        var again = GanRestoration.Restore(g, observed, op, method, options, multi);
        Assert.True(again.Restored.eq(result.Restored).all().item<bool>());
        Assert.Equal(method == PriorMethod.Single, result.Single is not null);
    }

    /// <summary>
    /// Restoration with the library defaults (300 steps, lr 0.1, start at w̄, latent prior 0.01; pixel loss only here) must
    /// beat the degraded input for inpainting and denoising, with either method, and inpainting keeps the known pixels.
    /// </summary>
    [Theory]
    [InlineData(RestorationTask.Inpaint, PriorMethod.Single)]
    [InlineData(RestorationTask.Inpaint, PriorMethod.MultiCode)]
    [InlineData(RestorationTask.Denoise, PriorMethod.Single)]
    [InlineData(RestorationTask.Denoise, PriorMethod.MultiCode)]
    public void RestorationWithTheDefaultOptionsImprovesOnTheDegradedInput(RestorationTask task, PriorMethod method)
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(75);
        Tensor truth;
        using (no_grad()) truth = g.Synthesize(randn(new long[] { 2, 8 }, generator: new Generator(76)));
        var op = Degradations.Create(task, g.Output);
        var observed = op.Observe(truth, new Generator(77));
        var result = GanRestoration.Restore(g, observed, op, method, multi: new MultiCodeOptions(Codes: 4));
        double before = ImageQuality.MeanPsnr(op.Display(observed, g.Output), truth), after = ImageQuality.MeanPsnr(result.Restored.clamp(-1, 1), truth);
        Assert.True(after > before + 2, $"{task} {method}: PSNR {before:0.0} → {after:0.0} dB");
        if (op is InpaintDegradation inpaint)
        {
            var known = inpaint.Mask.expand_as(truth).eq(1);
            Assert.True(result.Restored.masked_select(known).eq(observed.masked_select(known)).all().item<bool>(), "known pixels are kept");
            Assert.False(result.Generated.masked_select(known).eq(observed.masked_select(known)).all().item<bool>());
        }
        else Assert.True(allclose(result.Restored, op.Consistent(result.Generated, observed), atol: 1e-6), "denoising blends G(code) with the observation");
    }

    [Fact]
    public void SuperResolutionMatchesTheLowResolutionObservation()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(73);
        Tensor truth;
        using (no_grad()) truth = g.Synthesize(randn(new long[] { 1, 8 }, generator: new Generator(74)));
        var op = Degradations.Create(RestorationTask.SuperResolution, g.Output, scale: 4);
        var observed = op.Observe(truth); // [1, 1, 7, 7]
        var result = GanRestoration.Restore(g, observed, op, options: new InversionOptions(LatentSpace.Z, Steps: 60, LearningRate: 0.1, PerceptualWeight: 0));
        Assert.Equal(truth.shape, result.Restored.shape);
        double naive = ImageQuality.MeanPsnr(op.Display(observed, g.Output), truth), restored = ImageQuality.MeanPsnr(result.Restored, truth);
        Assert.True(restored > naive, $"PSNR nearest {naive:0.0} → restored {restored:0.0} dB");
    }

    /// <summary>
    /// Restarts: the result, batched as copies of the observations, is the mean of the independent restorations with seeds
    /// Seed, Seed + 1, … (exactly so for a generator without noise maps), the average of colorizations keeps the observed
    /// luma, progress runs once from 0 to 1 over all restarts, and the average is closer
    /// to the truth than the restarts are on average (the mean squared error of a mean is at most the mean of the errors).
    /// </summary>
    [Theory]
    [InlineData(PriorMethod.Single)]
    [InlineData(PriorMethod.MultiCode)]
    public void RestartsAverageIndependentRestorationsAndKeepTheObservation(PriorMethod method)
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(81, channels: 3);
        var truth = InversionTestModels.Drawn(g, 2, 82);
        var op = Degradations.Create(RestorationTask.Colorize, g.Output);
        var observed = op.Observe(truth); // [2, 1, H, W]
        var options = new InversionOptions(LatentSpace.Z, Steps: 15, LearningRate: 0.1, PerceptualWeight: 0, Seed: 3);
        var multi = new MultiCodeOptions(Codes: 2, Layer: 0);
        var fractions = new List<double>();
        var averaged = GanRestoration.Restore(g, observed, op, method, options, multi,
            progress: new GanSharp.Diagnostics.SyncProgress<InversionProgress>(p => fractions.Add(p.Fraction)), restarts: 3);
        var each = Enumerable.Range(0, 3).Select(k => GanRestoration.Restore(g, observed, op, method, options with { Seed = 3 + (ulong)k }, multi)).ToList();
        var mean = stack(each.Select(r => r.Restored).ToArray()).mean(new long[] { 0 });
        Assert.True(allclose(averaged.Restored, mean, atol: 1e-5), "the mean of the restarts' restorations");
        Assert.True(allclose(averaged.Generated, stack(each.Select(r => r.Generated).ToArray()).mean(new long[] { 0 }), atol: 1e-5));
        var inversions = method == PriorMethod.Single ? averaged.Single!.Reconstructions : averaged.Multi!.Reconstructions; // [3·2, C, H, W]
        Assert.True(allclose(inversions[2..4], each[1].Generated, atol: 1e-5), "the inversions are kept restart-major");
        Assert.False(allclose(each[0].Restored, each[1].Restored, atol: 1e-3), "restarts start from different codes");
        Assert.True((ColorOps.RgbToGray(averaged.Restored) - observed).abs().max().item<float>() < 1e-5f, "the average keeps the observed luma");
        Assert.Equal(options.Steps, fractions.Count); // the 3 × 2 copies fit one batch
        var split = GanRestoration.Restore(g, observed, op, method, options with { BatchSize = 4 }, multi, restarts: 3); // batches of 4 and 2
        Assert.True(allclose(split.Restored, averaged.Restored, atol: 1e-5), "the copies' batching does not change the result");
        Assert.True(fractions.Zip(fractions.Skip(1)).All(f => f.Second > f.First), "progress rises over the restarts");
        Assert.Equal(1.0, fractions[^1], 6);
        double MeanSquaredError(Tensor x) => (x.clamp(-1, 1) - truth).square().mean().item<float>();
        Assert.True(MeanSquaredError(averaged.Restored) <= each.Average(r => MeanSquaredError(r.Restored)) + 1e-7);
        Assert.Throws<GanSharpException>(() => GanRestoration.Restore(g, observed, op, method, options, multi, restarts: 0));
        Assert.Throws<GanSharpException>(() => GanRestoration.Restore(g, observed, op, method, options, multi, restarts: GanRestoration.MaxRestarts + 1));
        Assert.Throws<GanSharpException>(() => GanRestoration.Restore(g, observed, op, method, options, multi, initialCodes: zeros(2, 8), restarts: 2));
    }

    /// <summary>
    /// A single code in w starts at w̄ whatever the seed, so the later restarts start from random codes: otherwise they
    /// would repeat the first (for the DCGAN, w = z and w̄ = 0, with no noise maps, exactly).
    /// </summary>
    [Fact]
    public void RestartsOfASingleCodeInWStartFromRandomCodes()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(85);
        var truth = InversionTestModels.Drawn(g, 2, 86);
        var op = Degradations.Create(RestorationTask.Inpaint, g.Output);
        var observed = op.Observe(truth);
        var options = new InversionOptions(LatentSpace.W, Steps: 5, LearningRate: 0.1, PerceptualWeight: 0);
        var once = GanRestoration.Restore(g, observed, op, PriorMethod.Single, options);
        var twice = GanRestoration.Restore(g, observed, op, PriorMethod.Single, options, restarts: 2);
        Assert.True(allclose(twice.Single!.Reconstructions[..2], once.Single!.Reconstructions, atol: 1e-5), "the first restart is the plain restoration");
        Assert.False(allclose(twice.Restored, once.Restored, atol: 1e-3), "the second restart started elsewhere");
    }

    /// <summary>
    /// Colorization's consistency step keeps the observed luma exactly and stays in [-1, 1] even for a saturated guess
    /// whose colours would leave the range once the luma is replaced (adding the luma error to R, G and B and clamping
    /// afterwards would change the luma).
    /// </summary>
    [Fact]
    public void ColorizationConsistencyKeepsTheLumaOfASaturatedGuess()
    {
        using var scope = NewDisposeScope();
        var op = new GrayscaleDegradation();
        var truth = InversionTestModels.Images(83, 3, 3, 8) * 0.9;
        var guess = InversionTestModels.Images(84, 3, 3, 8) * 2;     // far outside [-1, 1]
        var y = op.Observe(truth);
        var consistent = op.Consistent(guess, y);
        Assert.True(consistent.abs().max().item<float>() <= 1 + 1e-6f, "inside [-1, 1]");
        Assert.True((op.Apply(consistent) - y).abs().max().item<float>() < 1e-5f, "A(x') = y");
        var naive = (guess + (y - op.Apply(guess))).clamp(-1, 1);
        Assert.True((op.Apply(naive) - y).abs().max().item<float>() > 0.1f, "the shift-and-clamp step it replaces loses the luma");
    }
}
