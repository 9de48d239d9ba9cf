using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Metrics;
using GanSharp.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Methods.Inversion;

public class ClassicalRestorationTests
{
    /// <summary>Smooth random images in [-0.8, 0.8]: 4×4 noise up-sampled bilinearly. // [N, C, size, size]</summary>
    static Tensor Smooth(ulong seed, long n, int channels, int size) =>
        F.interpolate(rand(new long[] { n, channels, 4, 4 }, generator: new Generator(seed)) * 1.6 - 0.8, new long[] { size, size },
            mode: InterpolationMode.Bilinear, align_corners: false);

    [Fact]
    public void BicubicOfAConstantIsTheConstantAndStaysInRange()
    {
        using var scope = NewDisposeScope();
        var up = ClassicalRestoration.Bicubic(full(new long[] { 2, 3, 7, 7 }, 0.37f), 4);
        Assert.Equal(new long[] { 2, 3, 28, 28 }, up.shape);
        Assert.True((up - 0.37f).abs().max().item<float>() < 1e-6f, "a constant stays constant, edges included");
        var checker = (arange(49).reshape(1, 1, 7, 7) % 2 * 2 - 1).to(float32); // ±1: the cubic kernel overshoots
        var sharp = ClassicalRestoration.Bicubic(checker, 2);
        Assert.True(sharp.abs().max().item<float>() <= 1f);
        Assert.True(sharp.abs().max().item<float>() > 0.9f);
    }

    [Fact]
    public void HarmonicInpaintingReproducesALinearRampInsideTheHole()
    {
        using var scope = NewDisposeScope();
        var i = arange(16, dtype: float32).reshape(1, 1, 16, 1);
        var j = arange(16, dtype: float32).reshape(1, 1, 1, 16);
        var ramp = (0.05f * i - 0.03f * j + 0.1f).expand(2, 3, 16, 16) * tensor(new float[] { 1, -1, 0.5f }).reshape(1, 3, 1, 1); // [2, 3, 16, 16]
        var mask = ones(16, 16);
        mask[4..12, 5..13] = zeros(8, 8);
        var observed = ramp * mask; // the hole reads 0
        var filled = ClassicalRestoration.HarmonicInpaint(observed, mask, tolerance: 1e-7);
        Assert.True((filled - ramp).abs().max().item<float>() < 1e-4f, $"max error {(filled - ramp).abs().max().item<float>()}");
        var known = mask.expand_as(ramp).eq(1);
        Assert.True(filled.masked_select(known).eq(observed.masked_select(known)).all().item<bool>(), "known pixels are kept exactly");
        // One iteration from the mean of the known pixels is not the answer: the iteration does the work.
        var early = ClassicalRestoration.HarmonicInpaint(observed, mask, maxIterations: 1);
        Assert.True((early - ramp).abs().max().item<float>() > 0.05f);
    }

    [Fact]
    public void HarmonicInpaintingOfAConstantAndBadMasks()
    {
        using var scope = NewDisposeScope();
        var mask = ones(1, 1, 8, 8);
        mask[0, 0, 0..4, 0..8] = zeros(4, 8); // hole at the border: the zero-flux edge keeps the constant
        var filled = ClassicalRestoration.HarmonicInpaint(full(new long[] { 1, 1, 8, 8 }, -0.4f) * mask, mask);
        Assert.True((filled + 0.4f).abs().max().item<float>() < 1e-6f);
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.HarmonicInpaint(zeros(1, 1, 8, 8), zeros(8, 8)));
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.HarmonicInpaint(zeros(1, 1, 8, 8), ones(4, 4)));
    }

    [Fact]
    public void ColorizeKeepsTheLuminanceExactlyAndStaysInRange()
    {
        using var scope = NewDisposeScope();
        var training = InversionTestModels.Images(1, 16, 3, 8) * 0.5 + tensor(new float[] { 0.4f, -0.2f, -0.5f }).reshape(1, 3, 1, 1); // an orange-ish set
        var chroma = ClassicalRestoration.MeanChroma(training);
        Assert.Equal(new long[] { 1, 3, 8, 8 }, chroma.shape);
        Assert.True(ColorOps.RgbToGray(chroma).abs().max().item<float>() < 1e-6f, "chroma has no luma");
        var gray = ColorOps.RgbToGray(InversionTestModels.Images(2, 4, 3, 8)); // [4, 1, 8, 8]
        gray[0, 0, 0, 0] = tensor(1f);  // white and black pixels leave no room for colour
        gray[0, 0, 0, 1] = tensor(-1f);
        var coloured = ClassicalRestoration.Colorize(gray, chroma);
        Assert.Equal(new long[] { 4, 3, 8, 8 }, coloured.shape);
        Assert.True((ColorOps.RgbToGray(coloured) - gray).abs().max().item<float>() < 1e-6f, "the observed luma is kept");
        Assert.True(coloured.abs().max().item<float>() <= 1f + 1e-6f, "inside [-1, 1]");
        Assert.True((coloured[0, .., 0, 0] - 1).abs().max().item<float>() < 1e-6f);
        Assert.True((coloured[0, .., 0, 1] + 1).abs().max().item<float>() < 1e-6f);
        var red = (coloured[.., 0] - coloured[.., 2]).mean().item<float>();
        Assert.True(red > 0.3f, $"the training set's colour is added (R − B = {red})");
        var global = ClassicalRestoration.MeanChroma(training, perPixel: false);
        Assert.Equal(new long[] { 1, 3, 1, 1 }, global.shape);
        Assert.True((ColorOps.RgbToGray(ClassicalRestoration.Colorize(gray, global)) - gray).abs().max().item<float>() < 1e-6f);
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.MeanChroma(zeros(2, 1, 8, 8)));
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.Colorize(gray, zeros(1, 3, 4, 4)));
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.Colorize(gray, zeros(3, 3, 8, 8)));
        // One colour per image: each image gets its own chroma, its luma removed.
        var own = InversionTestModels.Images(5, 4, 3, 8) * 1.5; // saturated, partly outside [-1, 1]
        var each = ClassicalRestoration.Colorize(gray, own);
        Assert.True((ColorOps.RgbToGray(each) - gray).abs().max().item<float>() < 1e-6f, "per-image chroma keeps the luma");
        Assert.True(each.abs().max().item<float>() <= 1f + 1e-6f);
        var ownChroma = own - ColorOps.RgbToGray(own);
        var gotChroma = each - gray;
        var cosine = (ownChroma * gotChroma).sum().item<float>() / (ownChroma.norm().item<float>() * gotChroma.norm().item<float>());
        Assert.True(cosine > 0.9f, $"the per-image colours are followed (cosine {cosine})");
    }

    [Fact]
    public void GaussianFilterKeepsAConstantAndLowersTheNoiseOfANoisyConstant()
    {
        using var scope = NewDisposeScope();
        var constant = full(new long[] { 2, 3, 12, 12 }, 0.25f);
        Assert.True((ClassicalRestoration.GaussianBlur(constant, 1.3) - 0.25f).abs().max().item<float>() < 1e-6f);
        Assert.True(ClassicalRestoration.GaussianBlur(constant, 0).eq(constant).all().item<bool>());
        var noisy = full(new long[] { 1, 1, 32, 32 }, 0.1f) + 0.2f * randn(new long[] { 1, 1, 32, 32 }, generator: new Generator(3));
        double before = (noisy - 0.1f).square().mean().sqrt().item<float>();
        double after = (ClassicalRestoration.GaussianBlur(noisy, 1.0) - 0.1f).square().mean().sqrt().item<float>();
        Assert.True(after < before / 2.5, $"noise {before:0.000} → {after:0.000}");
        Assert.Throws<GanSharpException>(() => ClassicalRestoration.GaussianBlur(constant, -1));
    }

    [Fact]
    public void BlurWidthIsChosenOnTrainingImagesAndGrowsWithTheNoise()
    {
        using var scope = NewDisposeScope();
        var training = Smooth(4, 16, 1, 16);
        Assert.Equal(0.0, ClassicalRestoration.ChooseBlurSigma(training, 0, new Generator(1)));
        double low = ClassicalRestoration.ChooseBlurSigma(training, 0.05, new Generator(1));
        double high = ClassicalRestoration.ChooseBlurSigma(training, 0.4, new Generator(1));
        Assert.True(high > 0.5 && high >= low, $"σ {low} at noise 0.05, {high} at noise 0.4");
    }

    /// <summary>On smooth images each task's baseline beats the degraded input as the figures show it.</summary>
    [Theory]
    [InlineData("inpaint")]
    [InlineData("sr2")]
    [InlineData("sr4")]
    [InlineData("colorize")]
    [InlineData("denoise")]
    public void EachBaselineHasTheImageShapeAndBeatsTheDegradedInputOnSmoothImages(string task)
    {
        using var scope = NewDisposeScope();
        var shape = new ImageShape(3, 16, 16);
        IDegradation op = task switch
        {
            "inpaint" => Degradations.Create(RestorationTask.Inpaint, shape),
            "sr2" => Degradations.Create(RestorationTask.SuperResolution, shape, scale: 2),
            "sr4" => Degradations.Create(RestorationTask.SuperResolution, shape, scale: 4),
            "colorize" => Degradations.Create(RestorationTask.Colorize, shape),
            _ => Degradations.Create(RestorationTask.Denoise, shape),
        };
        // Colour images sharing a tint, as a training set and disjoint test images.
        var tint = tensor(new float[] { 0.3f, 0f, -0.3f }).reshape(1, 3, 1, 1);
        var training = (Smooth(5, 32, 3, 16) * 0.6 + tint).clamp(-1, 1);
        var truth = (Smooth(6, 4, 3, 16) * 0.6 + tint).clamp(-1, 1);
        var baseline = ClassicalBaseline.For(op, training, new Generator(2));
        var observed = op.Observe(truth, new Generator(3));
        var restored = baseline.Restore(observed);
        Assert.Equal(truth.shape, restored.shape);
        double degraded = ImageQuality.MeanPsnr(op.Display(observed, shape), truth), classical = ImageQuality.MeanPsnr(restored, truth);
        Assert.True(classical > degraded + 1, $"{task} ({baseline.Name}): degraded {degraded:0.0} dB, baseline {classical:0.0} dB");
        Assert.Equal(task == "denoise", baseline.BlurSigma is not null);
    }

    [Fact]
    public void BaselinesThatNeedTrainingImagesSaySo()
    {
        var shape = new ImageShape(3, 8, 8);
        var e = Assert.Throws<GanSharpException>(() => ClassicalBaseline.For(Degradations.Create(RestorationTask.Colorize, shape)));
        Assert.Contains("training images", e.Message);
        Assert.Throws<GanSharpException>(() => ClassicalBaseline.For(Degradations.Create(RestorationTask.Denoise, shape)));
        Assert.Equal("bicubic", ClassicalBaseline.For(Degradations.Create(RestorationTask.SuperResolution, shape, scale: 2)).Name);
        Assert.False(ClassicalBaseline.NeedsTraining(Degradations.Create(RestorationTask.Inpaint, shape)));
    }
}
