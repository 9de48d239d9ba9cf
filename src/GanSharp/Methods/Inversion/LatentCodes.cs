using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>Shapes, starting points and rendering of codes in a <see cref="LatentSpace"/>.</summary>
public static class LatentCodes
{
    /// <summary>The shape of <paramref name="n"/> codes: z <c>[n, Z]</c>, w <c>[n, S]</c>, w+ <c>[n, K, S]</c>.</summary>
    public static long[] Shape(IGenerator g, LatentSpace space, long n) => space switch
    {
        LatentSpace.Z => new[] { n, g.LatentSize },
        LatentSpace.W => new[] { n, g.StyleSize },
        _ => new[] { n, g.StyleCount, g.StyleSize },
    };

    /// <summary>The styles that <see cref="IGenerator.Synthesize"/> takes for codes of <paramref name="space"/>: Map(z), w or w+.</summary>
    /// <param name="g">The generator.</param>
    /// <param name="space">The codes' space.</param>
    /// <param name="codes">// <see cref="Shape"/></param>
    public static Tensor Styles(IGenerator g, LatentSpace space, Tensor codes) => space == LatentSpace.Z ? g.Map(codes) : codes;

    /// <summary>Images of <paramref name="codes"/> with fixed <paramref name="noise"/> (null: fresh noise). // [N, C, H, W]</summary>
    public static Tensor Render(IGenerator g, LatentSpace space, Tensor codes, IReadOnlyList<Tensor>? noise = null) =>
        g.Synthesize(Styles(g, space, codes), noise);

    /// <summary>
    /// The default start of single-code inversion: z ~ N(0, I) from <paramref name="rng"/> (space z), the mean latent w̄
    /// (w), or w̄ in every row (w+).
    /// </summary>
    public static Tensor Start(IGenerator g, LatentSpace space, long n, Generator rng, Device device)
    {
        if (space == LatentSpace.Z) return randn(Shape(g, space, n), generator: rng).to(device);
        var mean = g.MeanLatent.detach().to(float32, device); // [S]
        return (space == LatentSpace.W ? mean.expand(n, -1) : mean.expand(n, g.StyleCount, -1)).clone();
    }

    /// <summary>
    /// Random starting codes: z ~ N(0, I), or w = Map(z) (repeated over the rows of w+). mGANprior needs these: codes that
    /// all start at w̄ would receive the same gradient and never separate.
    /// </summary>
    public static Tensor RandomStart(IGenerator g, LatentSpace space, long n, Generator rng, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z = randn(new long[] { n, g.LatentSize }, generator: rng).to(device);
        var code = space switch
        {
            LatentSpace.Z => z,
            LatentSpace.W => g.Map(z),
            _ => g.Map(z).unsqueeze(1).expand(-1, g.StyleCount, -1).clone(),
        };
        return code.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Checks given starting codes (an encoder's output, a previous inversion) against the space and batch: accepts
    /// <see cref="Shape"/>, or w <c>[n, S]</c> for w+ (repeated over the rows). Returns a float32 copy on <paramref name="device"/>.
    /// </summary>
    public static Tensor CheckStart(IGenerator g, LatentSpace space, Tensor initial, long n, Device device)
    {
        var expected = Shape(g, space, n);
        if (initial.shape.SequenceEqual(expected)) return initial.detach().to(float32, device).clone();
        if (space == LatentSpace.WPlus && initial.shape.SequenceEqual(new[] { n, (long)g.StyleSize }))
            return initial.detach().to(float32, device).unsqueeze(1).expand(-1, g.StyleCount, -1).clone();
        throw new GanSharpException($"initial codes are [{string.Join(", ", initial.shape)}] but {space.Name()} codes for {n} images are [{string.Join(", ", expected)}]");
    }

    /// <summary>The mean latent in the shape of <paramref name="codes"/> (w or w+), for the latent prior. // [S]</summary>
    internal static Tensor Prior(IGenerator g, LatentSpace space, Tensor codes) => space == LatentSpace.Z
        ? codes.square().flatten(1).mean(new long[] { 1 })
        : (codes - g.MeanLatent.detach().to(codes.dtype, codes.device)).square().flatten(1).mean(new long[] { 1 }); // [N]
}
