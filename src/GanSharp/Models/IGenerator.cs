using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Models;

/// <summary>
/// The generator contract every later method calls into (inversion, mGANprior, PadInv, editing, anomaly detection).
/// Latents: <c>z</c> is the input noise <c>[N, LatentSize]</c>; <c>w</c> the mapped style <c>[N, StyleSize]</c> (equal to
/// z for generators without a mapping network); <c>w+</c> one style per synthesis input <c>[N, StyleCount, StyleSize]</c>.
/// Synthesis is a chain of <see cref="LayerCount"/> blocks; <see cref="FeaturesAt"/> runs the first blocks and
/// <see cref="SynthesizeFrom"/> the rest, so <c>SynthesizeFrom(l, FeaturesAt(l, ws), ws) == Synthesize(ws)</c>.
/// Outputs are images in [-1, 1]. Implementations are TorchSharp modules (<see cref="Module"/>).
/// </summary>
public interface IGenerator
{
    /// <summary>The underlying module: parameters, train/eval, device moves, save/load.</summary>
    nn.Module Module { get; }

    /// <summary>The architecture config (a JSON-serialisable record) that rebuilds this generator.</summary>
    object Config { get; }

    /// <summary>Shape of one output image.</summary>
    ImageShape Output { get; }

    /// <summary>Size of z.</summary>
    int LatentSize { get; }

    /// <summary>Size of w.</summary>
    int StyleSize { get; }

    /// <summary>Number of style inputs of synthesis (the second dimension of w+); 1 when the generator takes a single code.</summary>
    int StyleCount { get; }

    /// <summary>Number of synthesis blocks addressable by <see cref="FeaturesAt"/> / <see cref="SynthesizeFrom"/>.</summary>
    int LayerCount { get; }

    /// <summary>Maps z <c>[N, LatentSize]</c> to w <c>[N, StyleSize]</c>; identity without a mapping network.</summary>
    Tensor Map(Tensor z);

    /// <summary>The tracked mean of w (<c>[StyleSize]</c>), used by truncation and as the inversion start; zeros if not tracked.</summary>
    Tensor MeanLatent { get; }

    /// <summary>Applies the truncation trick <c>w' = w̄ + ψ (w − w̄)</c> to w or w+.</summary>
    Tensor Truncate(Tensor ws, double psi);

    /// <summary>Shapes of the per-layer noise inputs (without the batch dimension); empty when the generator has none.</summary>
    IReadOnlyList<long[]> NoiseShapes { get; }

    /// <summary>
    /// Renders images <c>[N, C, H, W]</c> from w <c>[N, StyleSize]</c> or w+ <c>[N, StyleCount, StyleSize]</c>.
    /// <paramref name="noise"/>: one tensor per <see cref="NoiseShapes"/> entry (batch dimension 1 or N); null draws fresh noise.
    /// </summary>
    Tensor Synthesize(Tensor ws, IReadOnlyList<Tensor>? noise = null);

    /// <summary>The output of synthesis block <paramref name="layer"/> (0-based): <c>[N, C_l, H_l, W_l]</c>.</summary>
    Tensor FeaturesAt(int layer, Tensor ws, IReadOnlyList<Tensor>? noise = null);

    /// <summary>Continues synthesis from the output of block <paramref name="layer"/> (features <c>[N, C_l, H_l, W_l]</c>) to images.</summary>
    Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise = null);

    /// <summary>
    /// The generator's padded convolutions, in synthesis order, whose padding values can be replaced per instance
    /// (PadInv). Empty when the architecture has none.
    /// </summary>
    IReadOnlyList<Nn.IPaddingHook> PaddingHooks { get; }
}

/// <summary>Convenience methods over <see cref="IGenerator"/>.</summary>
public static class GeneratorExtensions
{
    /// <summary>Draws z <c>[n, LatentSize]</c> from N(0, I) on <paramref name="device"/>.</summary>
    public static Tensor SampleLatents(this IGenerator g, long n, Generator? rng = null, Device? device = null) =>
        randn(new long[] { n, g.LatentSize }, generator: rng).to(device ?? CPU);

    /// <summary>
    /// Per-layer noise inputs for <paramref name="n"/> images (one tensor per <see cref="IGenerator.NoiseShapes"/> entry,
    /// <c>[n, …shape]</c>; <paramref name="n"/> = 1 shares one noise among all images), drawn from
    /// <paramref name="rng"/> on the CPU and moved to <paramref name="device"/>: with it, the same seed gives the same
    /// images whatever else draws from torch's global stream. Empty for generators without noise inputs.
    /// </summary>
    public static Tensor[] SampleNoise(this IGenerator g, long n, Generator rng, Device? device = null) =>
        g.NoiseShapes.Select(s => randn(new long[] { n }.Concat(s).ToArray(), generator: rng).to(device ?? CPU)).ToArray();

    /// <summary>
    /// <paramref name="n"/> random images drawn wholly from <paramref name="rng"/>: z (<see cref="SampleLatents"/>), then the
    /// noise inputs (<see cref="SampleNoise"/>), so the same seed gives the same images whatever else draws from torch's global stream.
    /// </summary>
    /// <returns>// [n, C, H, W]</returns>
    public static Tensor Sample(this IGenerator g, long n, Generator rng, Device? device = null, double truncation = 1.0) =>
        g.Generate(g.SampleLatents(n, rng, device), truncation, g.SampleNoise(n, rng, device));

    /// <summary>z → image: <c>Synthesize(Map(z))</c>, optionally truncated.</summary>
    public static Tensor Generate(this IGenerator g, Tensor z, double truncation = 1.0, IReadOnlyList<Tensor>? noise = null)
    {
        var w = g.Map(z);
        if (truncation != 1.0) w = g.Truncate(w, truncation);
        return g.Synthesize(w, noise);
    }
}
