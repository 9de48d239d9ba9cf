using GanSharp.Models;
using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// StyleGAN's discriminator (the progressive-GAN one without growing): a 1×1 fromRGB, per resolution R..8 two 3×3
/// convolutions with leaky ReLU (the second changing the width to the next resolution's) and 2×2 average pooling, then
/// at 4×4 a minibatch standard deviation channel, a 3×3 convolution, a fully connected layer to
/// <see cref="FeatureSize"/> features and a linear score. All layers use the equalized learning rate.
/// </summary>
/// <remarks>
/// Karras, Aila, Laine, Lehtinen, "Progressive Growing of GANs", ICLR 2018, Table 2 (architecture, minibatch standard
/// deviation §3, equalized learning rate §4.1); reused unchanged by Karras, Laine, Aila, CVPR 2019. The blur before
/// downsampling is left out.
/// </remarks>
public sealed class StyleGanDiscriminator : nn.Module<Tensor, Tensor>, IDiscriminator
{
    readonly EqualizedConv2d fromRgb;                // [N, Channels, R, R] -> [N, C_R, R, R]
    readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;  // R -> R/2, ..., 8 -> 4
    readonly MinibatchStdDev stddev;
    readonly EqualizedConv2d conv;                   // [N, C_4 + 1, 4, 4] -> [N, C_4, 4, 4]
    readonly EqualizedLinear features;               // [N, C_4 · 16] -> [N, C_4]
    readonly EqualizedLinear score;                  // [N, C_4] -> [N, 1]

    /// <summary>
    /// Builds the discriminator from a validated <paramref name="config"/>. <paramref name="residual"/> gives StyleGAN2's
    /// residual blocks (Karras et al., CVPR 2020, Fig. 7c: the two convolutions plus a downsampled 1×1 skip, summed and
    /// scaled by 1/√2).
    /// </summary>
    public StyleGanDiscriminator(StyleGanConfig config, string name = "stylegan_discriminator", bool residual = false) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Settings = config.Validate();
        int r = config.Resolution;
        fromRgb = new EqualizedConv2d(config.Channels, config.Width(r), 1, gain: EqualizedLinear.HeGain, name: "from_rgb");
        var list = new List<nn.Module<Tensor, Tensor>>();
        for (; r > 4; r /= 2)
            list.Add(residual ? new ResidualBlock(config.Width(r), config.Width(r / 2), $"b{r}") : new DiscriminatorBlock(config.Width(r), config.Width(r / 2), $"b{r}"));
        Residual = residual;
        blocks = nn.ModuleList(list.ToArray());
        int c4 = config.Width(4);
        stddev = new MinibatchStdDev(config.MinibatchGroupSize);
        conv = new EqualizedConv2d(c4 + 1, c4, 3, gain: EqualizedLinear.HeGain, name: "conv");
        features = new EqualizedLinear(c4 * 16, c4, gain: EqualizedLinear.HeGain, name: "features");
        score = new EqualizedLinear(c4, 1, gain: 1.0, name: "score");
        FeatureSize = c4;
        RegisterComponents();
    }

    /// <summary>The architecture config.</summary>
    public StyleGanConfig Settings { get; }

    /// <summary>Whether the blocks are StyleGAN2's residual blocks.</summary>
    public bool Residual { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public object Config => Settings;

    /// <inheritdoc />
    public ImageShape Input => new(Settings.Channels, Settings.Resolution, Settings.Resolution);

    /// <inheritdoc />
    public int FeatureSize { get; }

    /// <summary>Raw scores <c>[N]</c>.</summary>
    public override Tensor forward(Tensor images) => Score(images);

    /// <inheritdoc />
    public Tensor Score(Tensor images)
    {
        using var scope = NewDisposeScope();
        return ScoreWithFeatures(images).Score.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Score, Tensor Features) ScoreWithFeatures(Tensor images)
    {
        long[] s = images.shape;
        if (s.Length != 4 || s[1] != Settings.Channels || s[2] != Settings.Resolution || s[3] != Settings.Resolution)
            throw new ArgumentException($"images must be [N, {Input.Channels}, {Input.Height}, {Input.Width}], got [{string.Join(", ", s)}]", nameof(images));
        using var scope = NewDisposeScope();
        var x = F.leaky_relu(fromRgb.call(images), 0.2);                // [N, C_R, R, R]
        foreach (var block in blocks) x = block.call(x);                // [N, C_4, 4, 4]
        x = F.leaky_relu(conv.call(stddev.call(x)), 0.2);               // [N, C_4, 4, 4]
        var f = F.leaky_relu(features.call(x.flatten(1)), 0.2);         // [N, C_4]
        var y = score.call(f).squeeze(1);                               // [N]
        return (y.MoveToOuterDisposeScope(), f.MoveToOuterDisposeScope());
    }

    /// <summary>Two 3×3 convolutions with leaky ReLU, then 2×2 average pooling: <c>[N, C_in, R, R] → [N, C_out, R/2, R/2]</c>.</summary>
    internal sealed class DiscriminatorBlock : nn.Module<Tensor, Tensor>
    {
        readonly EqualizedConv2d conv0;
        readonly EqualizedConv2d conv1;

        public DiscriminatorBlock(int inChannels, int outChannels, string name) : base(name)
        {
            conv0 = new EqualizedConv2d(inChannels, inChannels, 3, gain: EqualizedLinear.HeGain, name: "conv0");
            conv1 = new EqualizedConv2d(inChannels, outChannels, 3, gain: EqualizedLinear.HeGain, name: "conv1");
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            x = F.leaky_relu(conv0.call(x), 0.2);
            x = F.leaky_relu(conv1.call(x), 0.2);
            return F.avg_pool2d(x, 2).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// StyleGAN2's residual block: <c>(avgpool(conv1(conv0(x))) + conv1×1(avgpool(x))) / √2</c>,
    /// <c>[N, C_in, R, R] → [N, C_out, R/2, R/2]</c>; the skip convolution has no bias.
    /// </summary>
    internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        static readonly double Scale = 1.0 / Math.Sqrt(2.0);
        readonly EqualizedConv2d conv0;
        readonly EqualizedConv2d conv1;
        readonly EqualizedConv2d skip;

        public ResidualBlock(int inChannels, int outChannels, string name) : base(name)
        {
            conv0 = new EqualizedConv2d(inChannels, inChannels, 3, gain: EqualizedLinear.HeGain, name: "conv0");
            conv1 = new EqualizedConv2d(inChannels, outChannels, 3, gain: EqualizedLinear.HeGain, name: "conv1");
            skip = new EqualizedConv2d(inChannels, outChannels, 1, hasBias: false, gain: 1.0, name: "skip");
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var s = skip.call(F.avg_pool2d(x, 2));       // [N, C_out, R/2, R/2]
            var y = F.leaky_relu(conv0.call(x), 0.2);
            y = F.avg_pool2d(F.leaky_relu(conv1.call(y), 0.2), 2);
            return ((y + s) * Scale).MoveToOuterDisposeScope();
        }
    }
}
