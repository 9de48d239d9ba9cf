using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Nn;

public class DiffAugmentTests
{
    public DiffAugmentTests() => TorchRuntime.EnsureInitialized();

    static Tensor Images(int seed, long n = 6, long size = 16) =>
        (rand(new long[] { n, 3, size, size }, dtype: float64, generator: new Generator((ulong)seed)) * 2 - 1);

    [Theory]
    [InlineData(DiffAugmentPolicy.Color)]
    [InlineData(DiffAugmentPolicy.Translation)]
    [InlineData(DiffAugmentPolicy.Cutout)]
    [InlineData(DiffAugmentPolicy.All)]
    public void GradientsFlowAndMatchFiniteDifferences(DiffAugmentPolicy policy)
    {
        using var scope = NewDisposeScope();
        var x = Images(1, n: 2, size: 8).requires_grad_(true);
        // The same seed for every evaluation: the finite differences see the same random transform.
        double err = GradCheck.MaxError(() => DiffAugment.Apply(x, policy, new Generator(42)), new[] { x });
        Assert.True(err < 1e-6, $"max gradient error {err}");
        var y = DiffAugment.Apply(x, policy, new Generator(42));
        var grad = autograd.grad(new[] { y.square().sum() }, new[] { x })[0];
        Assert.True(grad.abs().sum().item<double>() > 0, "no gradient reaches the input");
    }

    [Fact]
    public void TranslationShiftsWholeImagesAndFillsWithZero()
    {
        using var scope = NewDisposeScope();
        var x = Images(2, n: 16);
        var y = DiffAugment.Translate(x, new Generator(3));
        Assert.Equal(x.shape, y.shape);
        int shifted = 0;
        for (int i = 0; i < 16; i++)
        {
            // Find the shift (dy, dx) in [-2, 2] (16 px / 8) that explains the output: y[i, :, r, c] = x[i, :, r - dy, c - dx].
            bool found = false;
            for (int dy = -2; dy <= 2 && !found; dy++)
                for (int dx = -2; dx <= 2 && !found; dx++)
                {
                    var expected = zeros_like(x[i]);
                    int r0 = Math.Max(0, dy), r1 = 16 + Math.Min(0, dy), c0 = Math.Max(0, dx), c1 = 16 + Math.Min(0, dx);
                    expected[.., r0..r1, c0..c1] = x[i][.., (r0 - dy)..(r1 - dy), (c0 - dx)..(c1 - dx)];
                    if (GradCheck.Same(expected, y[i])) { found = true; if (dy != 0 || dx != 0) shifted++; }
                }
            Assert.True(found, $"image {i} is not a shifted copy");
        }
        Assert.True(shifted >= 10, $"only {shifted} of 16 images moved");
    }

    [Fact]
    public void CutoutZeroesOneHalfSideSquarePerImage()
    {
        using var scope = NewDisposeScope();
        var x = Images(4, n: 32) * 0.5 + 0.6; // no exact zeros in the input
        var y = DiffAugment.Cutout(x, new Generator(5));
        var zeroed = y.eq(0).all(1).to(float64).sum(new long[] { 1, 2 }); // [N] zeroed pixels
        // An 8×8 square, clipped at the border: between 16 (a quarter of it inside) and 64 pixels.
        Assert.True(zeroed.min().item<double>() >= 16 && zeroed.max().item<double>() <= 64);
        Assert.True(zeroed.eq(64).any().item<bool>());
        Assert.True(allclose(y.masked_select(y.ne(0)), x.masked_select(y.ne(0))));
    }

    [Fact]
    public void ColorChangesEachImageByItsOwnDrawAndTheSeedRepeatsIt()
    {
        using var scope = NewDisposeScope();
        var x = Images(6);
        var a = DiffAugment.Color(x, new Generator(7));
        Assert.True(GradCheck.Same(a, DiffAugment.Color(x, new Generator(7))));
        Assert.False(GradCheck.Same(a, DiffAugment.Color(x, new Generator(8))));
        Assert.False(allclose(a, x, atol: 1e-3));
        // A gray image stays gray under saturation; brightness and contrast move it uniformly.
        var gray = full(new long[] { 2, 3, 4, 4 }, 0.25, dtype: float64);
        var g = DiffAugment.Color(gray, new Generator(9));
        Assert.True(g.std(new long[] { 1, 2, 3 }).max().item<double>() < 1e-12);
    }

    [Fact]
    public void PoliciesParseAndPrint()
    {
        Assert.Equal(DiffAugmentPolicy.All, DiffAugment.Parse("color,translation,cutout"));
        Assert.Equal(DiffAugmentPolicy.All, DiffAugment.Parse("all"));
        Assert.Equal(DiffAugmentPolicy.None, DiffAugment.Parse("none"));
        Assert.Equal(DiffAugmentPolicy.Color | DiffAugmentPolicy.Cutout, DiffAugment.Parse(" cutout , colour "));
        Assert.Equal("color,translation,cutout", DiffAugment.Format(DiffAugmentPolicy.All));
        Assert.Equal("none", DiffAugment.Format(DiffAugmentPolicy.None));
        var e = Assert.Throws<GanSharpException>(() => DiffAugment.Parse("flip"));
        Assert.Contains("flip", e.Message);
        using var scope = NewDisposeScope();
        var x = Images(10);
        Assert.True(GradCheck.Same(x, DiffAugment.Apply(x, DiffAugmentPolicy.None, null)));
    }
}
