using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Models;
using GanSharp.Tests.Losses;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class DegradationTests
{
    static readonly ImageShape Rgb8 = new(3, 8, 8);

    public static TheoryData<string> Operators => new() { "denoise", "inpaint", "sr2", "sr4", "colorize" };

    static IDegradation Make(string name, ImageShape image) => name switch
    {
        "denoise" => new DenoiseDegradation(0.3),
        "inpaint" => InpaintDegradation.CentreBox(image, 0.5),
        "sr2" => new DownsampleDegradation(2),
        "sr4" => new DownsampleDegradation(4),
        "colorize" => new GrayscaleDegradation(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void OutputsHaveTheObservedShape(string name)
    {
        using var scope = NewDisposeScope();
        var op = Make(name, Rgb8);
        var x = InversionTestModels.Images(1, 2, 3, 8);
        var observed = op.ObservedShape(Rgb8);
        Assert.Equal(observed.Batch(2), op.Apply(x).shape);
        Assert.Equal(observed.Batch(2), op.Observe(x, new Generator(1)).shape);
        Assert.Equal(Rgb8.Batch(2), op.Display(op.Observe(x, new Generator(1)), Rgb8).shape);
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void GradientMatchesFiniteDifferencesInFloat64(string name)
    {
        using var scope = NewDisposeScope();
        var op = Make(name, Rgb8);
        var x = InversionTestModels.Images(2, 2, 3, 8, float64);
        var weights = InversionTestModels.Images(3, 2, op.ObservedShape(Rgb8).Channels, op.ObservedShape(Rgb8).Height, float64);
        GradCheck.AssertMatches(t => (op.Apply(t) * weights).sum(), x);
    }

    [Fact]
    public void ExpectedValues()
    {
        using var scope = NewDisposeScope();
        var x = arange(16, dtype: float32).reshape(1, 1, 4, 4);
        var down = new DownsampleDegradation(2).Apply(x);
        Assert.Equal(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, down.flatten().data<float>().ToArray());
        var rgb = tensor(new float[] { 1, 0, -1 }).reshape(1, 3, 1, 1);
        Assert.Equal(0.299f - 0.114f, new GrayscaleDegradation().Apply(rgb).item<float>(), 5);
        Assert.True(new DenoiseDegradation().Apply(x).eq(x).all().item<bool>());
    }

    [Fact]
    public void InpaintingKeepsKnownPixelsAndZeroesMissingOnes()
    {
        using var scope = NewDisposeScope();
        var op = InpaintDegradation.CentreBox(new ImageShape(1, 8, 8), 0.5); // hides rows/cols 2..5
        Assert.Equal(0.75, op.KnownFraction, 6);
        var x = InversionTestModels.Images(4, 2, 1, 8);
        var y = op.Apply(x);
        var known = op.Mask.to_type(ScalarType.Bool).expand_as(x);
        Assert.True(y.masked_select(known).eq(x.masked_select(known)).all().item<bool>());
        Assert.True(y.masked_select(known.logical_not()).eq(0).all().item<bool>());
        Assert.Equal(0f, y[0, 0, 2, 2].item<float>());
        Assert.Equal(x[0, 0, 1, 1].item<float>(), y[0, 0, 1, 1].item<float>());
        var restored = zeros_like(x) + 0.5f;
        var pasted = op.PasteKnown(restored, y);
        Assert.True(pasted.masked_select(known).eq(x.masked_select(known)).all().item<bool>());
        Assert.True(pasted.masked_select(known.logical_not()).eq(0.5f).all().item<bool>());
    }

    [Fact]
    public void DenoiseObservationIsDeterministicForASeedAndHasTheRequestedNoise()
    {
        using var scope = NewDisposeScope();
        var op = new DenoiseDegradation(0.2);
        var x = zeros(4, 1, 16, 16);
        var a = op.Observe(x, new Generator(5));
        Assert.True(a.eq(op.Observe(x, new Generator(5))).all().item<bool>());
        Assert.InRange(a.std().item<float>(), 0.17f, 0.23f);
    }

    [Fact]
    public void InapplicableOperatorsAreRefusedClearly()
    {
        var gray = Assert.Throws<GanSharpException>(() => Degradations.Create(RestorationTask.Colorize, new ImageShape(1, 28, 28)));
        Assert.Contains("RGB generator", gray.Message);
        var sr = Assert.Throws<GanSharpException>(() => Degradations.Create(RestorationTask.SuperResolution, new ImageShape(1, 30, 30), scale: 4));
        Assert.Contains("divisible by 4", sr.Message);
        Assert.Throws<GanSharpException>(() => new DownsampleDegradation(3));
        using var scope = NewDisposeScope();
        var mask = Assert.Throws<GanSharpException>(() => Degradations.Create(RestorationTask.Inpaint, new ImageShape(1, 28, 28), ones(1, 8, 8)));
        Assert.Contains("8x8", mask.Message);
        Assert.Throws<GanSharpException>(() => new InpaintDegradation(zeros(8, 8)));
        Assert.Throws<GanSharpException>(() => new InpaintDegradation(full(new long[] { 8, 8 }, 0.5f)));
        Assert.Equal(RestorationTask.SuperResolution, Degradations.ParseTask("SR"));
        Assert.Throws<GanSharpException>(() => Degradations.ParseTask("deblur"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void SuperResolutionBackProjectionReproducesTheObservationAndKeepsTheDetail(int scale)
    {
        using var scope = NewDisposeScope();
        var op = new DownsampleDegradation(scale);
        var truth = InversionTestModels.Images(3, 2, 3, 8) * 0.5;      // well inside [-1, 1]: no clamping
        var guess = InversionTestModels.Images(4, 2, 3, 8) * 0.5;      // a restoration that does not match the observation
        var y = op.Observe(truth);
        var consistent = op.Consistent(guess, y);
        Assert.True(allclose(op.Apply(consistent), y, atol: 1e-6), "A(x') = y");
        // Within each block the guess's detail (its deviation from the block mean) is kept.
        var up = TorchSharp.torch.nn.functional.interpolate(op.Apply(guess), new long[] { 8, 8 }, mode: InterpolationMode.Nearest);
        var upC = TorchSharp.torch.nn.functional.interpolate(op.Apply(consistent), new long[] { 8, 8 }, mode: InterpolationMode.Nearest);
        Assert.True(allclose(consistent - upC, guess - up, atol: 1e-6));
        Assert.False(allclose(consistent, guess, atol: 1e-3));
    }

    /// <summary>
    /// Denoising's consistency blends two independent estimates by their error variances: with G off by σ_g and the
    /// observation by σ_n, the blend's error variance is σ_g²σ_n²/(σ_g² + σ_n²), below both; by hand per image.
    /// </summary>
    [Fact]
    public void DenoisingBlendsTheGeneratorAndTheObservationByTheirErrorVariances()
    {
        using var scope = NewDisposeScope();
        const double sigmaN = 0.2, sigmaG = 0.15;
        var op = new DenoiseDegradation(sigmaN);
        var truth = randn(new long[] { 3, 3, 32, 32 }, dtype: float64, generator: new Generator(1)) * 0.3;
        var y = op.Observe(truth, new Generator(2));
        var g = truth + sigmaG * randn(truth.shape, dtype: float64, generator: new Generator(3));
        var blend = op.Consistent(g, y);
        // By hand: s² = max(mean((y − g)²) − σ², 0) per image, x′ = g + s²/(s² + σ²)·(y − g).
        for (int i = 0; i < 3; i++)
        {
            double s2 = Math.Max((y[i] - g[i]).square().mean().item<double>() - sigmaN * sigmaN, 0);
            var expected = g[i] + s2 / (s2 + sigmaN * sigmaN) * (y[i] - g[i]);
            Assert.True(allclose(blend[i], expected, atol: 1e-12));
        }
        double Mse(Tensor x) => (x - truth).square().mean().item<double>();
        double ideal = sigmaG * sigmaG * sigmaN * sigmaN / (sigmaG * sigmaG + sigmaN * sigmaN);
        Assert.True(Mse(blend) < 0.75 * Math.Min(Mse(g), Mse(y)), $"blend {Mse(blend):E3}, G {Mse(g):E3}, observation {Mse(y):E3}");
        Assert.InRange(Mse(blend), 0.9 * ideal, 1.1 * ideal);
        // A generator that reproduces the image exactly keeps its output; with σ = 0 the observation is the answer.
        Assert.True(allclose(op.Consistent(truth + 0.0, truth + 0.0), truth));
        Assert.True(allclose(new DenoiseDegradation(0).Consistent(g, truth), truth));
    }
}
