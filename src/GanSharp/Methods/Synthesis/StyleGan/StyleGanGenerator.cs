using GanSharp.Models;
using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// The style-based generator: a mapping network z → w (pixel norm, then <see cref="StyleGanConfig.MappingLayers"/>
/// equalized fully connected layers with leaky ReLU at learning-rate multiplier 0.01) and a synthesis network that
/// starts from a learned 4×4 constant and, per resolution, applies two (conv, noise, leaky ReLU, AdaIN) stages, then a
/// 1×1 toRGB (with tanh when <see cref="StyleGanConfig.OutputTanh"/>).
/// w+ has <see cref="StyleCount"/> = 2 × blocks rows, row <c>2b</c> and <c>2b + 1</c> styling block <c>b</c>; the noise
/// inputs follow the same order. Synthesis blocks are the layers of <see cref="FeaturesAt"/>: block <c>l</c> outputs
/// <c>[N, Width(4·2^l), 4·2^l, 4·2^l]</c>.
/// </summary>
/// <remarks>
/// Karras, Laine, Aila, "A Style-Based Generator Architecture for Generative Adversarial Networks", CVPR 2019:
/// mapping network and AdaIN (§2), noise inputs (§3.2), style mixing regularisation (§3.1), truncation trick with a
/// tracked w̄ (§3.4 / appendix B). Left out for CPU: the blur filter after upsampling and progressive growing.
/// </remarks>
public sealed class StyleGanGenerator : nn.Module<Tensor, Tensor>, IStyleGenerator
{
    readonly Sequential mapping;                 // z [N, Z] -> w [N, S]
    readonly ModuleList<SynthesisBlock> blocks;  // 4x4, 8x8, ..., R x R
    readonly EqualizedConv2d toRgb;              // [N, C_R, R, R] -> [N, Channels, R, R]
    readonly Tensor meanLatent;                  // buffer [S]: tracked w̄
    readonly IReadOnlyList<IPaddingHook> paddingHooks;
    readonly IReadOnlyList<long[]> noiseShapes;

    /// <summary>Builds the generator from a validated <paramref name="config"/>.</summary>
    public StyleGanGenerator(StyleGanConfig config, string name = "stylegan_generator") : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Settings = config.Validate();

        mapping = StyleSpace.BuildMapping(config);

        var list = new List<SynthesisBlock>();
        var shapes = new List<long[]>();
        for (int b = 0; b < config.BlockCount; b++)
        {
            int res = config.BlockResolution(b);
            int cin = b == 0 ? config.Width(res) : config.Width(res / 2);
            list.Add(new SynthesisBlock(cin, config.Width(res), res, config.StyleSize, first: b == 0, name: $"b{res}"));
            shapes.Add(new long[] { 1, res, res });
            shapes.Add(new long[] { 1, res, res });
        }
        blocks = nn.ModuleList(list.ToArray());
        noiseShapes = shapes;
        paddingHooks = list.SelectMany(b => b.PaddingHooks).ToList();
        toRgb = new EqualizedConv2d(config.Width(config.Resolution), config.Channels, 1, gain: 1.0, name: "to_rgb");
        meanLatent = zeros(config.StyleSize).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>The architecture config.</summary>
    public StyleGanConfig Settings { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public object Config => Settings;

    /// <inheritdoc />
    public ImageShape Output => new(Settings.Channels, Settings.Resolution, Settings.Resolution);

    /// <inheritdoc />
    public int LatentSize => Settings.LatentSize;

    /// <inheritdoc />
    public int StyleSize => Settings.StyleSize;

    /// <inheritdoc />
    public int StyleCount => 2 * blocks.Count;

    /// <inheritdoc />
    public int LayerCount => blocks.Count;

    /// <inheritdoc />
    public IReadOnlyList<long[]> NoiseShapes => noiseShapes;

    /// <inheritdoc />
    /// <remarks>The 3×3 convolutions of synthesis: one in the 4×4 block, two in every later block.</remarks>
    public IReadOnlyList<IPaddingHook> PaddingHooks => paddingHooks;

    /// <inheritdoc />
    /// <remarks>A view of the buffer (no gradient); zeros until <see cref="UpdateMeanLatent"/> or <see cref="ComputeMeanLatent"/> runs.</remarks>
    public Tensor MeanLatent => meanLatent.detach();

    /// <summary>z <c>[N, LatentSize]</c> → image <c>[N, Channels, R, R]</c> with fresh noise.</summary>
    public override Tensor forward(Tensor z) => Synthesize(Map(z));

    /// <inheritdoc />
    public Tensor Map(Tensor z)
    {
        if (z.dim() != 2 || z.shape[1] != LatentSize)
            throw new ArgumentException($"z must be [N, {LatentSize}], got [{string.Join(", ", z.shape)}]", nameof(z));
        return mapping.call(z); // [N, S]
    }

    /// <inheritdoc />
    public double MixingProbability => Settings.MixingProbability;

    /// <summary>
    /// Moves w̄ toward the batch mean of <paramref name="w"/> (<c>[N, S]</c> or <c>[N, K, S]</c>):
    /// <c>w̄ ← decay · w̄ + (1 − decay) · mean(w)</c>. The trainer calls it once per generator step.
    /// </summary>
    public void UpdateMeanLatent(Tensor w) => StyleSpace.UpdateMean(meanLatent, w, Settings.MeanLatentDecay);

    /// <summary>Sets w̄ to the mean of <c>Map(z)</c> over <paramref name="samples"/> draws of z and returns it (<c>[S]</c>).</summary>
    public Tensor ComputeMeanLatent(int samples = 4096, Generator? rng = null)
    {
        StyleSpace.ComputeMean(meanLatent, Map, LatentSize, samples, rng);
        return MeanLatent;
    }

    /// <inheritdoc />
    /// <remarks>ψ = 1 returns <paramref name="ws"/> unchanged (an alias); ψ = 0 gives w̄ in every row.</remarks>
    public Tensor Truncate(Tensor ws, double psi) => StyleSpace.Truncate(meanLatent, ws, psi);

    /// <summary>
    /// Style mixing regularisation: maps <paramref name="z1"/> and <paramref name="z2"/> (<c>[N, LatentSize]</c>) and,
    /// with probability <paramref name="probability"/>, switches from w1 to w2 at a crossover drawn uniformly from
    /// <c>[1, StyleCount − 1]</c> (one per batch, as in the reference implementation); otherwise w+ is w1 throughout.
    /// Returns w+ <c>[N, StyleCount, S]</c>.
    /// </summary>
    public Tensor MixStyles(Tensor z1, Tensor z2, double probability, Generator? rng = null)
    {
        int crossover = StyleSpace.DrawCrossover(StyleCount, probability, rng);
        using var scope = NewDisposeScope();
        return CombineStyles(Map(z1), Map(z2), crossover).MoveToOuterDisposeScope();
    }

    /// <summary>w+ <c>[N, StyleCount, S]</c> whose rows before <paramref name="crossover"/> are w1 <c>[N, S]</c> and the rest w2.</summary>
    public Tensor CombineStyles(Tensor w1, Tensor w2, int crossover) => StyleSpace.Combine(w1, w2, crossover, StyleCount);

    /// <summary>Fresh noise for every noise input: <c>[n, 1, R_i, R_i]</c> each.</summary>
    public IReadOnlyList<Tensor> MakeNoise(long n, Generator? rng = null, Device? device = null) =>
        StyleSpace.MakeNoise(noiseShapes, n, rng, device ?? meanLatent.device);

    /// <inheritdoc />
    public Tensor Synthesize(Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        using var scope = NewDisposeScope();
        var wplus = ToWPlus(ws);
        return ToImage(RunBlocks(0, LayerCount - 1, null, wplus, noise)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor FeaturesAt(int layer, Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        CheckLayer(layer);
        using var scope = NewDisposeScope();
        return RunBlocks(0, layer, null, ToWPlus(ws), noise).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        CheckLayer(layer);
        using var scope = NewDisposeScope();
        return ToImage(RunBlocks(layer + 1, LayerCount - 1, features, ToWPlus(ws), noise)).MoveToOuterDisposeScope();
    }

    /// <summary>Runs blocks <paramref name="from"/>..<paramref name="to"/> (inclusive); x is the output of block from − 1 (null when from is 0).</summary>
    Tensor RunBlocks(int from, int to, Tensor? x, Tensor wplus, IReadOnlyList<Tensor>? noise)
    {
        if (noise is not null && noise.Count != noiseShapes.Count)
            throw new ArgumentException($"expected {noiseShapes.Count} noise tensors (one per NoiseShapes entry), got {noise.Count}", nameof(noise));
        long n = wplus.shape[0];
        for (int b = from; b <= to; b++)
        {
            var block = blocks[b];
            Tensor Noise(int i) => noise?[i] ?? randn(new long[] { n, 1, block.Resolution, block.Resolution }, dtype: wplus.dtype, device: wplus.device);
            // Contiguous rows: the affine GEMMs then see the same memory layout whether ws was w, w+ or a broadcast, so
            // equal styles give bit-identical images.
            var w0 = wplus[.., 2 * b].contiguous();     // [N, S]
            var w1 = wplus[.., 2 * b + 1].contiguous(); // [N, S]
            x = block.Forward(x, w0, w1, Noise(2 * b), Noise(2 * b + 1)); // [N, C_b, R_b, R_b]
        }
        return x ?? throw new InvalidOperationException("no block ran");
    }

    Tensor ToImage(Tensor x)
    {
        var rgb = toRgb.call(x); // [N, Channels, R, R]
        return Settings.OutputTanh ? rgb.tanh() : rgb;
    }

    Tensor ToWPlus(Tensor ws) => StyleSpace.ToWPlus(ws, StyleSize, StyleCount);

    void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} must be in [0, {LayerCount - 1}]");
    }
}
