using GanSharp.Models;
using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// The StyleGAN2 generator: the mapping network of <see cref="StyleSpace"/>, and a synthesis network that starts from a
/// learned 4×4 constant and, per resolution, applies (bilinear upsample ×2 +) modulated/demodulated 3×3 convolutions,
/// each followed by per-pixel noise, a bias and leaky ReLU (gain √2), and adds the block's toRGB output (a modulated
/// 1×1 convolution without demodulation) to the upsampled image of the previous block (the "skip" generator).
/// </summary>
/// <remarks>
/// <para>Karras, Laine, Aittala, Hellsten, Lehtinen, Aila, "Analyzing and Improving the Image Quality of StyleGAN",
/// CVPR 2020: weight demodulation instead of AdaIN (§2.2), skip-connected toRGB outputs (§4.1, Fig. 7b), noise and
/// style per layer. Left out for CPU: the FIR blur of the paper's up-sampling (bilinear interpolation stands in for it).</para>
/// <para>w+ rows follow the paper's code: block 0 uses row 0 for its convolution and row 1 for its toRGB; block b ≥ 1
/// uses rows 2b − 1 and 2b for its two convolutions and 2b + 1 for its toRGB, so <see cref="StyleCount"/> = 2 × blocks.
/// <see cref="FeaturesAt"/> returns the block's feature maps and its partial RGB image stacked on the channel axis,
/// <c>[N, C_l + Channels, R, R]</c>, the whole state that <see cref="SynthesizeFrom(int, Tensor, Tensor, IReadOnlyList{Tensor})"/> needs.</para>
/// </remarks>
public sealed class StyleGan2Generator : nn.Module<Tensor, Tensor>, IStyleGenerator, IBlockwiseGenerator
{
    readonly Sequential mapping;                  // z [N, Z] -> w [N, S]
    readonly Parameter constant;                  // [1, C_4, 4, 4]
    readonly ModuleList<StyleGan2Block> blocks;   // 4x4, 8x8, ..., R x R
    readonly Tensor meanLatent;                   // buffer [S]: tracked w̄
    readonly IReadOnlyList<IPaddingHook> paddingHooks;
    readonly IReadOnlyList<long[]> noiseShapes;
    readonly int[] noiseStart;                    // index of each block's first noise input

    /// <summary>Builds the generator from a validated <paramref name="config"/>.</summary>
    public StyleGan2Generator(StyleGanConfig config, string name = "stylegan2_generator") : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Settings = config.Validate();
        mapping = StyleSpace.BuildMapping(config);
        constant = nn.Parameter(randn(1, config.Width(4), 4, 4));
        var list = new List<StyleGan2Block>();
        var shapes = new List<long[]>();
        noiseStart = new int[config.BlockCount];
        for (int b = 0; b < config.BlockCount; b++)
        {
            int res = config.BlockResolution(b);
            int cin = b == 0 ? config.Width(4) : config.Width(res / 2);
            var block = new StyleGan2Block(cin, config.Width(res), config.Channels, res, config.StyleSize, first: b == 0, name: $"b{res}");
            noiseStart[b] = shapes.Count;
            for (int i = 0; i < block.ConvCount; i++) shapes.Add(new long[] { 1, res, res });
            list.Add(block);
        }
        blocks = nn.ModuleList(list.ToArray());
        noiseShapes = shapes;
        paddingHooks = list.SelectMany(b => b.PaddingHooks).ToList();
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
    /// <remarks>The 3×3 modulated convolutions of synthesis in order (one in the 4×4 block, two in every later block).</remarks>
    public IReadOnlyList<IPaddingHook> PaddingHooks => paddingHooks;

    /// <inheritdoc />
    public Tensor MeanLatent => meanLatent.detach();

    /// <inheritdoc />
    public double MixingProbability => Settings.MixingProbability;

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
    public void UpdateMeanLatent(Tensor w) => StyleSpace.UpdateMean(meanLatent, w, Settings.MeanLatentDecay);

    /// <summary>Sets w̄ to the mean of <c>Map(z)</c> over <paramref name="samples"/> draws of z and returns it (<c>[S]</c>).</summary>
    public Tensor ComputeMeanLatent(int samples = 4096, Generator? rng = null)
    {
        StyleSpace.ComputeMean(meanLatent, Map, LatentSize, samples, rng);
        return MeanLatent;
    }

    /// <inheritdoc />
    public Tensor Truncate(Tensor ws, double psi) => StyleSpace.Truncate(meanLatent, ws, psi);

    /// <inheritdoc />
    public Tensor MixStyles(Tensor z1, Tensor z2, double probability, Generator? rng = null)
    {
        int crossover = StyleSpace.DrawCrossover(StyleCount, probability, rng);
        using var scope = NewDisposeScope();
        return StyleSpace.Combine(Map(z1), Map(z2), crossover, StyleCount).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> MakeNoise(long n, Generator? rng = null, Device? device = null) =>
        StyleSpace.MakeNoise(noiseShapes, n, rng, device ?? meanLatent.device);

    /// <inheritdoc />
    public Tensor Synthesize(Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        using var scope = NewDisposeScope();
        var wplus = StyleSpace.ToWPlus(ws, StyleSize, StyleCount);
        var (_, image) = RunBlocks(0, LayerCount - 1, null, null, wplus, noise);
        return ToOutput(image).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>Returns <c>[N, C_l + Channels, R_l, R_l]</c>: the feature maps, then the partial RGB image.</remarks>
    public Tensor FeaturesAt(int layer, Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        CheckLayer(layer);
        using var scope = NewDisposeScope();
        var (x, image) = RunBlocks(0, layer, null, null, StyleSpace.ToWPlus(ws, StyleSize, StyleCount), noise);
        return cat(new[] { x, image }, 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise = null) =>
        SynthesizeFrom(layer, features, ws, noise, null);

    /// <inheritdoc />
    /// <remarks>The perturbation applies to a block's feature maps after its convolutions, before its toRGB and the next block.</remarks>
    public Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise, Func<int, Tensor, Tensor>? perturb)
    {
        CheckLayer(layer);
        int c = Settings.Width(Settings.BlockResolution(layer));
        if (features.dim() != 4 || features.shape[1] != c + Settings.Channels)
            throw new ArgumentException($"features of layer {layer} must be [N, {c + Settings.Channels}, H, W] (maps and partial image), got [{string.Join(", ", features.shape)}]", nameof(features));
        using var scope = NewDisposeScope();
        var x = features.narrow(1, 0, c);                      // [N, C_l, R, R]
        var image = features.narrow(1, c, Settings.Channels);  // [N, Channels, R, R]
        var (_, result) = RunBlocks(layer + 1, LayerCount - 1, x, image, StyleSpace.ToWPlus(ws, StyleSize, StyleCount), noise, perturb);
        return ToOutput(result).MoveToOuterDisposeScope();
    }

    /// <summary>Runs blocks <paramref name="from"/>..<paramref name="to"/>; (x, image) is the state after block from − 1 (null when from is 0).</summary>
    (Tensor X, Tensor Image) RunBlocks(int from, int to, Tensor? x, Tensor? image, Tensor wplus, IReadOnlyList<Tensor>? noise,
        Func<int, Tensor, Tensor>? perturb = null)
    {
        if (noise is not null && noise.Count != noiseShapes.Count)
            throw new ArgumentException($"expected {noiseShapes.Count} noise tensors (one per NoiseShapes entry), got {noise.Count}", nameof(noise));
        long n = wplus.shape[0];
        for (int b = from; b <= to; b++)
        {
            var block = blocks[b];
            if (b == 0) x = constant.expand(n, -1, -1, -1); // [N, C_4, 4, 4]
            var ns = new Tensor[block.ConvCount];
            for (int i = 0; i < ns.Length; i++)
                ns[i] = noise?[noiseStart[b] + i] ?? randn(new long[] { n, 1, block.Resolution, block.Resolution }, dtype: wplus.dtype, device: wplus.device);
            int row = b == 0 ? 0 : 2 * b - 1;
            // Contiguous rows: the affine GEMMs see the same layout whether ws was w, w+ or a broadcast.
            var styles = Enumerable.Range(row, block.ConvCount + 1).Select(r => wplus[.., r].contiguous()).ToArray(); // [N, S] each
            int index = b;
            (x, image) = block.Forward(x!, image, styles, ns, perturb is null ? null : t => perturb(index, t));
        }
        return (x ?? throw new InvalidOperationException("no block ran"), image!);
    }

    Tensor ToOutput(Tensor image) => Settings.OutputTanh ? image.tanh() : image.alias();

    void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer} must be in [0, {LayerCount - 1}]");
    }
}

/// <summary>
/// One resolution of the StyleGAN2 synthesis network: (bilinear upsample ×2, modulated 3×3 conv, noise, bias, lReLU)
/// unless it is the first block, then modulated 3×3 conv, noise, bias, lReLU, and a toRGB added to the upsampled image.
/// </summary>
internal sealed class StyleGan2Block : nn.Module
{
    static readonly double ActivationGain = Math.Sqrt(2.0);

    readonly ModuleList<ModulatedConv2d> convs;
    readonly ModuleList<NoiseInjection> noises;
    readonly ParameterList biases;
    readonly ModulatedConv2d toRgb;
    readonly Parameter rgbBias;

    public StyleGan2Block(int inChannels, int outChannels, int imageChannels, int resolution, int styleSize, bool first, string name) : base(name)
    {
        Resolution = resolution;
        var c = new List<ModulatedConv2d>();
        if (!first) c.Add(new ModulatedConv2d(inChannels, outChannels, 3, styleSize, name: "conv0"));
        c.Add(new ModulatedConv2d(first ? inChannels : outChannels, outChannels, 3, styleSize, name: "conv1"));
        convs = nn.ModuleList(c.ToArray());
        noises = nn.ModuleList(c.Select((_, i) => new NoiseInjection(outChannels, $"noise{i}")).ToArray());
        biases = nn.ParameterList(c.Select(_ => nn.Parameter(zeros(1, outChannels, 1, 1))).ToArray());
        toRgb = new ModulatedConv2d(outChannels, imageChannels, 1, styleSize, demodulate: false, name: "to_rgb");
        rgbBias = nn.Parameter(zeros(1, imageChannels, 1, 1));
        RegisterComponents();
    }

    /// <summary>Output side in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Modulated 3×3 convolutions (1 in the first block, 2 otherwise); also the number of noise inputs.</summary>
    public int ConvCount => convs.Count;

    /// <summary>The 3×3 convolutions' padding hooks, in order.</summary>
    public IEnumerable<IPaddingHook> PaddingHooks => convs.Select(c => (IPaddingHook)c.Conv);

    /// <summary>
    /// x <c>[N, C_in, R/2, R/2]</c> (the constant <c>[N, C, 4, 4]</c> for the first block), image <c>[N, 3, R/2, R/2]</c>
    /// (null for the first block), <see cref="ConvCount"/> + 1 styles <c>[N, S]</c> (convs, then toRGB), and
    /// <see cref="ConvCount"/> noise maps <c>[N or 1, 1, R, R]</c> → (x <c>[N, C, R, R]</c>, image <c>[N, 3, R, R]</c>).
    /// </summary>
    public (Tensor X, Tensor Image) Forward(Tensor x, Tensor? image, IReadOnlyList<Tensor> styles, IReadOnlyList<Tensor> noise,
        Func<Tensor, Tensor>? perturb = null)
    {
        using var scope = NewDisposeScope();
        if (image is not null) x = Upsample(x);
        for (int i = 0; i < convs.Count; i++)
        {
            x = convs[i].call(x, styles[i]);
            x = F.leaky_relu(noises[i].call(x, noise[i]) + biases[i], 0.2) * ActivationGain;
        }
        if (perturb is not null) x = perturb(x);
        var rgb = toRgb.call(x, styles[convs.Count]) + rgbBias; // [N, 3, R, R]
        var img = image is null ? rgb : Upsample(image) + rgb;
        return (x.MoveToOuterDisposeScope(), img.MoveToOuterDisposeScope());
    }

    static Tensor Upsample(Tensor t) =>
        F.interpolate(t, scale_factor: new double[] { 2, 2 }, mode: InterpolationMode.Bilinear, align_corners: false);
}
