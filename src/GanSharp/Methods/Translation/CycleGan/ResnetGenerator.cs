using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>
/// CycleGAN's ResNet generator: reflection-padded 7×7 stem (ngf), two stride-2 3×3 downsamplings (2·ngf, 4·ngf),
/// <see cref="CycleGanConfig.Blocks"/> residual blocks (reflection padding, 3×3, instance norm, ReLU, 3×3, instance
/// norm, plus the input), two stride-2 3×3 transposed convolutions back up, and a reflection-padded 7×7 head with tanh.
/// Instance norm has no affine parameters and no running statistics (as the reference code's default). Maps
/// <c>[N, C, H, W]</c> in [-1, 1] to the same shape in [-1, 1]; H and W must be multiples of 4.
/// </summary>
/// <remarks>
/// Zhu et al., ICCV 2017, appendix 7.2 ("c7s1-64, d128, d256, R256 ×6, u128, u64, c7s1-3"), after Johnson, Alahi,
/// Fei-Fei, "Perceptual Losses for Real-Time Style Transfer and Super-Resolution", ECCV 2016.
/// </remarks>
public sealed class ResnetGenerator : nn.Module<Tensor, Tensor>
{
    readonly Sequential body;

    /// <summary>Builds the generator of <paramref name="config"/> with fresh N(0, <paramref name="initGain"/>) convolutions drawn from <paramref name="init"/> (the global stream when null).</summary>
    public ResnetGenerator(CycleGanConfig config, double initGain = 0.02, string name = "resnet_generator", Generator? init = null) : base(name)
    {
        Config = config.Validate();
        int c = config.Channels, w = config.Width;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem_pad", nn.ReflectionPad2d(3)),
            ("stem_conv", nn.Conv2d(c, w, 7)),
            ("stem_norm", nn.InstanceNorm2d(w)),
            ("stem_relu", nn.ReLU()),
        };
        for (int i = 0; i < 2; i++)
        {
            int cin = w << i, cout = w << (i + 1);
            layers.Add(($"down{i}_conv", nn.Conv2d(cin, cout, 3, stride: 2, padding: 1)));
            layers.Add(($"down{i}_norm", nn.InstanceNorm2d(cout)));
            layers.Add(($"down{i}_relu", nn.ReLU()));
        }
        for (int i = 0; i < config.Blocks; i++) layers.Add(($"block{i}", new ResidualBlock(w * 4)));
        for (int i = 0; i < 2; i++)
        {
            int cin = w << (2 - i), cout = w << (1 - i);
            layers.Add(($"up{i}_conv", nn.ConvTranspose2d(cin, cout, 3, stride: 2, padding: 1, output_padding: 1)));
            layers.Add(($"up{i}_norm", nn.InstanceNorm2d(cout)));
            layers.Add(($"up{i}_relu", nn.ReLU()));
        }
        layers.Add(("head_pad", nn.ReflectionPad2d(3)));
        layers.Add(("head_conv", nn.Conv2d(w, c, 7)));
        layers.Add(("head_tanh", nn.Tanh()));
        body = nn.Sequential(layers);
        RegisterComponents();
        CycleGanInit.Normal(this, initGain, init);
    }

    /// <summary>The architecture.</summary>
    public CycleGanConfig Config { get; }

    /// <summary>Translates <c>[N, C, H, W]</c> to <c>[N, C, H, W]</c> in [-1, 1].</summary>
    public override Tensor forward(Tensor input) => body.call(input);

    /// <summary>One residual block: x + IN(conv3(relu(IN(conv3(x))))) with reflection padding.</summary>
    sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        readonly Sequential residual;

        public ResidualBlock(int channels) : base("residual_block")
        {
            residual = nn.Sequential(
                ("pad0", nn.ReflectionPad2d(1)), ("conv0", nn.Conv2d(channels, channels, 3)), ("norm0", nn.InstanceNorm2d(channels)), ("relu", nn.ReLU()),
                ("pad1", nn.ReflectionPad2d(1)), ("conv1", nn.Conv2d(channels, channels, 3)), ("norm1", nn.InstanceNorm2d(channels)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return (x + residual.call(x)).MoveToOuterDisposeScope(); // [N, 4·ngf, H/4, W/4]
        }
    }
}

/// <summary>
/// CycleGAN's PatchGAN discriminator: 4×4 convolutions, <see cref="CycleGanConfig.DiscriminatorLayers"/> of stride 2
/// (ndf, 2·ndf, 4·ndf; no norm on the first) and two of stride 1 (8·ndf, then 1 channel), instance norm and
/// LeakyReLU(0.2) between them. It scores overlapping patches: <c>[N, C, H, W]</c> → <c>[N, 1, h, w]</c> raw LSGAN scores
/// (h = H/2^L − 2). With 3 stride-2 layers each score sees a 70×70 pixel receptive field (the paper's "70×70 PatchGAN";
/// <see cref="ReceptiveField"/>): at 256 px that is a patch, at 64 px it spans the whole image (the 6×6 scores differ in
/// where the zero padding falls), at 32 px likewise (2×2 scores). Two stride-2 layers give 34×34 patches.
/// </summary>
/// <remarks>Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017 (PatchGAN); Zhu et al., ICCV 2017, appendix 7.2 ("C64-C128-C256-C512").</remarks>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    readonly Sequential body;

    /// <summary>Builds the discriminator of <paramref name="config"/> with fresh N(0, <paramref name="initGain"/>) convolutions drawn from <paramref name="init"/> (the global stream when null).</summary>
    public PatchDiscriminator(CycleGanConfig config, double initGain = 0.02, string name = "patch_discriminator", Generator? init = null) : base(name)
    {
        Config = config.Validate();
        int w = config.DiscriminatorWidth;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int cin = config.Channels;
        for (int i = 0; i <= config.DiscriminatorLayers; i++)
        {
            bool last = i == config.DiscriminatorLayers; // the stride-1 8·ndf layer
            int cout = w * (1 << Math.Min(i, 3));
            layers.Add(($"conv{i}", nn.Conv2d(cin, cout, 4, stride: last ? 1 : 2, padding: 1)));
            if (i > 0) layers.Add(($"norm{i}", nn.InstanceNorm2d(cout)));
            layers.Add(($"lrelu{i}", nn.LeakyReLU(0.2)));
            cin = cout;
        }
        layers.Add(("score", nn.Conv2d(cin, 1, 4, stride: 1, padding: 1)));
        body = nn.Sequential(layers);
        RegisterComponents();
        CycleGanInit.Normal(this, initGain, init);
    }

    /// <summary>The architecture.</summary>
    public CycleGanConfig Config { get; }

    /// <summary>The receptive field in pixels of one score with <paramref name="stride2Layers"/> stride-2 layers (70 for 3).</summary>
    public static int ReceptiveField(int stride2Layers)
    {
        int r = 4;                                            // the 1-channel score conv (4×4, stride 1)
        r += 3;                                               // the stride-1 8·ndf conv
        for (int i = 0; i < stride2Layers; i++) r = 2 * r + 2; // each 4×4 stride-2 conv: r ← 2r + (4 − 2)
        return r;
    }

    /// <summary>Side of the score map for an input side <paramref name="size"/>.</summary>
    public int ScoreSize(int size) => (size >> Config.DiscriminatorLayers) - 2;

    /// <summary>Scores <c>[N, C, H, W]</c> → <c>[N, 1, h, w]</c> (raw, for the least-squares loss).</summary>
    public override Tensor forward(Tensor input) => body.call(input);
}

/// <summary>The reference code's <c>init_weights(net, 'normal', 0.02)</c>: convolution weights N(0, σ), biases 0.</summary>
static class CycleGanInit
{
    internal static void Normal(nn.Module module, double gain, Generator? generator)
    {
        using var _ = no_grad();
        foreach (var m in module.modules())
        {
            if (m is Conv2d conv)
            {
                conv.weight!.normal_(0, gain, generator);
                conv.bias?.zero_();
            }
            else if (m is ConvTranspose2d tconv)
            {
                tconv.weight!.normal_(0, gain, generator);
                tconv.bias?.zero_();
            }
        }
    }
}
