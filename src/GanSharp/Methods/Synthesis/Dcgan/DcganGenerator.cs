using GanSharp.Models;
using GanSharp.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>
/// The DCGAN generator: z → project and reshape → BatchNorm + ReLU → transposed-convolution blocks that double the
/// resolution → tanh image. It takes a single code and has no mapping network, so w = z.
/// </summary>
/// <remarks>
/// <para>Radford, Metz, Chintala, "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial
/// Networks", ICLR 2016: no pooling or fully connected hidden layers, BatchNorm in every generator block but the output,
/// ReLU inside and tanh at the output, weights from N(0, 0.02).</para>
/// <para>The projection is a linear layer reshaped to <c>[N, C₀, S₀, S₀]</c> (S₀ = 4, or 7 at 28 px) — the paper's
/// "project and reshape"; it equals the 4×4 transposed convolution from a 1×1 input of the PyTorch example. Each
/// further block is ConvTranspose(4, stride 2, padding 1) + BatchNorm + ReLU; the last one maps to the image channels
/// and applies tanh. Layers followed by BatchNorm have no bias (it would be cancelled); the output layer has one.</para>
/// <para>Synthesis layers for <see cref="FeaturesAt"/>/<see cref="SynthesizeFrom(int, Tensor, Tensor, IReadOnlyList{Tensor})"/>: layer 0 is the projected tensor after
/// BatchNorm + ReLU; layer i is the output of the i-th upsampling block (after its BatchNorm + ReLU); the last layer
/// (<see cref="LayerCount"/> − 1) is the image. At 64 px the layers are 4, 8, 16, 32, 64 px (5 layers), at 32 px
/// 4, 8, 16, 32 (4), at 28 px 7, 14, 28 (3).</para>
/// <para>Transposed convolutions have no input padding that could be replaced per instance (their "padding" crops the
/// output), so <see cref="PaddingHooks"/> is empty; there are no noise inputs either.</para>
/// </remarks>
public sealed class DcganGenerator : nn.Module<Tensor, Tensor>, IBlockwiseGenerator
{
    readonly nn.Module<Tensor, Tensor> project;               // [N, Z] → [N, C₀, S₀, S₀]
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> blocks; // upsampling blocks; the last makes the image
    readonly ImageShape[] layerShapes;

    /// <summary>Builds the generator for <paramref name="config"/> (validated) with the DCGAN initialisation.</summary>
    public DcganGenerator(DcganConfig config) : base(nameof(DcganGenerator))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        int steps = config.Steps, s0 = config.StartSize, w = config.GeneratorWidth;
        // Channels per layer: w·2^(steps−1) at S₀, halving each doubling of resolution, then the image channels.
        layerShapes = new ImageShape[steps + 1];
        for (int i = 0; i < steps; i++) layerShapes[i] = new ImageShape(w << (steps - 1 - i), s0 << i, s0 << i);
        layerShapes[steps] = config.Image;

        var start = layerShapes[0];
        project = nn.Sequential(
            ("linear", nn.Linear(config.LatentSize, (long)start.Size, hasBias: false)),
            ("reshape", nn.Unflatten(1, new long[] { start.Channels, start.Height, start.Width })),
            ("norm", nn.BatchNorm2d(start.Channels)),
            ("relu", nn.ReLU()));
        var list = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 1; i <= steps; i++)
        {
            long cin = layerShapes[i - 1].Channels, cout = layerShapes[i].Channels;
            list.Add(i < steps
                ? nn.Sequential(
                    ("conv", nn.ConvTranspose2d(cin, cout, 4, stride: 2, padding: 1, bias: false)),
                    ("norm", nn.BatchNorm2d(cout)),
                    ("relu", nn.ReLU()))
                : nn.Sequential(
                    ("conv", nn.ConvTranspose2d(cin, cout, 4, stride: 2, padding: 1, bias: true)),
                    ("tanh", nn.Tanh())));
        }
        blocks = nn.ModuleList(list.ToArray());
        RegisterComponents();
        DcganInit.Apply(this);
    }

    /// <summary>The architecture config this generator was built from.</summary>
    public DcganConfig Config { get; }

    nn.Module IGenerator.Module => this;

    object IGenerator.Config => Config;

    /// <inheritdoc />
    public ImageShape Output => Config.Image;

    /// <inheritdoc />
    public int LatentSize => Config.LatentSize;

    /// <summary>Equal to <see cref="LatentSize"/>: DCGAN has no mapping network.</summary>
    public int StyleSize => Config.LatentSize;

    /// <summary>1: the code enters once, at the projection; w+ inputs <c>[N, 1, Z]</c> are accepted.</summary>
    public int StyleCount => 1;

    /// <summary>The projection plus one layer per upsampling block (the last is the image): 3, 4 or 5.</summary>
    public int LayerCount => layerShapes.Length;

    /// <summary>Always empty: DCGAN has no noise inputs.</summary>
    public IReadOnlyList<long[]> NoiseShapes => Array.Empty<long[]>();

    /// <summary>Always empty: the generator's transposed convolutions have no input padding to replace.</summary>
    public IReadOnlyList<IPaddingHook> PaddingHooks => Array.Empty<IPaddingHook>();

    /// <summary>Zeros <c>[Z]</c> on the generator's device: the mean of the N(0, I) prior, since w = z.</summary>
    public Tensor MeanLatent => zeros(new long[] { LatentSize }, device: project.parameters().First().device);

    /// <summary>The shape of synthesis layer <paramref name="layer"/>'s output (without the batch dimension).</summary>
    public ImageShape LayerShape(int layer)
    {
        CheckLayer(layer);
        return layerShapes[layer];
    }

    /// <summary>Images <c>[N, C, H, W]</c> in [-1, 1] from z <c>[N, Z]</c>; same as <see cref="Synthesize"/>.</summary>
    public override Tensor forward(Tensor z) => Synthesize(z);

    /// <summary>The identity (w = z), as a new tensor handle; checks the shape <c>[N, Z]</c>.</summary>
    public Tensor Map(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() != 2 || z.shape[1] != LatentSize)
            throw new ArgumentException($"z must be [N, {LatentSize}], got [{string.Join(", ", z.shape)}]", nameof(z));
        return z.alias();
    }

    /// <summary>
    /// Truncation toward the mean latent, which is 0 for DCGAN: <c>w' = ψ·w</c>. Works on w and w+ alike.
    /// </summary>
    public Tensor Truncate(Tensor ws, double psi)
    {
        ArgumentNullException.ThrowIfNull(ws);
        return ws * psi;
    }

    /// <inheritdoc />
    public Tensor Synthesize(Tensor ws, IReadOnlyList<Tensor>? noise = null) => FeaturesAt(LayerCount - 1, ws, noise);

    /// <inheritdoc />
    public Tensor FeaturesAt(int layer, Tensor ws, IReadOnlyList<Tensor>? noise = null)
    {
        CheckLayer(layer);
        CheckNoise(noise);
        var x = project.call(Styles(ws)); // [N, C₀, S₀, S₀]
        for (int i = 1; i <= layer; i++) x = blocks[i - 1].call(x); // [N, C_i, H_i, W_i]
        return x;
    }

    /// <summary>
    /// Runs the blocks after <paramref name="layer"/> on <paramref name="features"/> <c>[N, C_l, H_l, W_l]</c>. The code
    /// <paramref name="ws"/> only enters at the projection, so it is checked but not used; from the last layer the
    /// features are returned as they are (they are the image).
    /// </summary>
    public Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise = null) =>
        SynthesizeFrom(layer, features, ws, noise, null);

    /// <inheritdoc />
    /// <remarks>The perturbation applies to the outputs of the blocks after <paramref name="layer"/> except the last (the image).</remarks>
    public Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise, Func<int, Tensor, Tensor>? perturb)
    {
        CheckLayer(layer);
        CheckNoise(noise);
        ArgumentNullException.ThrowIfNull(features);
        CheckStyles(ws);
        var shape = layerShapes[layer];
        if (features.dim() != 4 || features.shape[1] != shape.Channels || features.shape[2] != shape.Height || features.shape[3] != shape.Width)
            throw new ArgumentException(
                $"features of layer {layer} must be [N, {shape.Channels}, {shape.Height}, {shape.Width}], got [{string.Join(", ", features.shape)}]",
                nameof(features));
        var x = features;
        for (int i = layer + 1; i < layerShapes.Length; i++)
        {
            x = blocks[i - 1].call(x); // [N, C_i, H_i, W_i]
            if (perturb is not null && i < layerShapes.Length - 1) x = perturb(i, x);
        }
        return ReferenceEquals(x, features) ? features.alias() : x;
    }

    /// <summary>w <c>[N, Z]</c> from w <c>[N, Z]</c> or w+ <c>[N, 1, Z]</c>.</summary>
    Tensor Styles(Tensor ws) => CheckStyles(ws) ? ws.squeeze(1) : ws;

    /// <summary>Checks that <paramref name="ws"/> is w or w+; true for w+.</summary>
    bool CheckStyles(Tensor ws)
    {
        ArgumentNullException.ThrowIfNull(ws);
        if (ws.dim() == 2 && ws.shape[1] == LatentSize) return false;
        if (ws.dim() == 3 && ws.shape[1] == 1 && ws.shape[2] == LatentSize) return true;
        throw new ArgumentException($"w must be [N, {LatentSize}] or w+ [N, 1, {LatentSize}], got [{string.Join(", ", ws.shape)}]", nameof(ws));
    }

    void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= layerShapes.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"DCGAN generator layers are 0..{layerShapes.Length - 1}");
    }

    static void CheckNoise(IReadOnlyList<Tensor>? noise)
    {
        if (noise is { Count: > 0 })
            throw new ArgumentException($"DCGAN has no noise inputs, got {noise.Count} noise tensors", nameof(noise));
    }
}
