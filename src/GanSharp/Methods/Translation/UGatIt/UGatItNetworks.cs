using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>
/// U-GAT-IT's generator. Encoder: reflection-padded 7×7 stem (ngf), instance norm, ReLU; two stride-2
/// 3×3 downsamplings (2·ngf, 4·ngf); <see cref="UGatItConfig.Blocks"/> residual blocks with instance norm. CAM
/// (<see cref="ClassActivationAttention"/>, ReLU): the attended features, the domain logits and the heat map. MLP: the
/// attended features, globally average-pooled (light) or flattened whole (full), → FC → ReLU → FC → ReLU → γ, β (one FC each). Decoder:
/// <see cref="UGatItConfig.Blocks"/> residual blocks normalised by <see cref="AdaLIN"/> with γ, β; two up-samplings
/// (nearest ×2, reflection pad, 3×3 conv, <see cref="LayerInstanceNorm"/>, ReLU); reflection-padded 7×7 conv and tanh.
/// Maps <c>[N, C, H, W]</c> in [-1, 1] to the same shape in [-1, 1], with CAM logits <c>[N, 2]</c> and the heat map
/// <c>[N, 1, H/4, W/4]</c>.
/// </summary>
/// <remarks>Kim, Kim, Kang, Lee, "U-GAT-IT", ICLR 2020, §2.1.1 and the appendix's generator table (the light model's FC
/// input is the average-pooled feature map rather than the whole flattened map).</remarks>
public sealed class UGatItGenerator : nn.Module<Tensor, (Tensor Output, Tensor CamLogits, Tensor HeatMap)>
{
    readonly Sequential encoder, upsampling;
    readonly ClassActivationAttention cam;
    readonly Sequential mlp;
    readonly Linear gammaFc, betaFc;
    readonly ModuleList<AdaLinResidualBlock> decoderBlocks;

    /// <summary>Builds the generator of <paramref name="config"/>; weights are drawn (as PyTorch's default initialisation) from <paramref name="init"/> (the global stream when null).</summary>
    public UGatItGenerator(UGatItConfig config, string name = "ugatit_generator", Generator? init = null) : base(name)
    {
        Config = config.Validate();
        int c = config.Channels, w = config.Width, bottleneck = 4 * w;
        var enc = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem_pad", nn.ReflectionPad2d(3)), ("stem_conv", nn.Conv2d(c, w, 7, bias: false)), ("stem_norm", nn.InstanceNorm2d(w)), ("stem_relu", nn.ReLU()),
        };
        for (int i = 0; i < 2; i++)
        {
            int cin = w << i, cout = w << (i + 1);
            enc.Add(($"down{i}_pad", nn.ReflectionPad2d(1)));
            enc.Add(($"down{i}_conv", nn.Conv2d(cin, cout, 3, stride: 2, bias: false)));
            enc.Add(($"down{i}_norm", nn.InstanceNorm2d(cout)));
            enc.Add(($"down{i}_relu", nn.ReLU()));
        }
        for (int i = 0; i < config.Blocks; i++) enc.Add(($"block{i}", new InResidualBlock(bottleneck)));
        encoder = nn.Sequential(enc);
        cam = new ClassActivationAttention(bottleneck, leakySlope: 0, name: "cam");
        mlp = nn.Sequential(("fc0", nn.Linear(config.MlpInputs, bottleneck, hasBias: false)), ("relu0", nn.ReLU()),
            ("fc1", nn.Linear(bottleneck, bottleneck, hasBias: false)), ("relu1", nn.ReLU()));
        gammaFc = nn.Linear(bottleneck, bottleneck, hasBias: false);
        betaFc = nn.Linear(bottleneck, bottleneck, hasBias: false);
        decoderBlocks = new ModuleList<AdaLinResidualBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new AdaLinResidualBlock(bottleneck)).ToArray());
        var up = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < 2; i++)
        {
            int cin = w << (2 - i), cout = w << (1 - i);
            up.Add(($"up{i}_upsample", nn.Upsample(scale_factor: new double[] { 2, 2 }, mode: UpsampleMode.Nearest)));
            up.Add(($"up{i}_pad", nn.ReflectionPad2d(1)));
            up.Add(($"up{i}_conv", nn.Conv2d(cin, cout, 3, bias: false)));
            up.Add(($"up{i}_norm", new LayerInstanceNorm(cout)));
            up.Add(($"up{i}_relu", nn.ReLU()));
        }
        up.Add(("head_pad", nn.ReflectionPad2d(3)));
        up.Add(("head_conv", nn.Conv2d(w, c, 7, bias: false)));
        up.Add(("head_tanh", nn.Tanh()));
        upsampling = nn.Sequential(up);
        RegisterComponents();
        UGatItInit.Default(this, init);
    }

    /// <summary>The architecture.</summary>
    public UGatItConfig Config { get; }

    /// <summary>Every ρ of the generator's AdaLIN and LIN layers.</summary>
    public IEnumerable<Parameter> Rhos => modules().SelectMany(m => m switch
    {
        AdaLIN a => new[] { a.Rho },
        LayerInstanceNorm l => new[] { l.Rho },
        _ => Array.Empty<Parameter>(),
    });

    /// <summary>Clips every ρ to [0, 1] in place (after each optimiser step, as the paper's code does).</summary>
    public void ClipRho()
    {
        foreach (var m in modules())
        {
            if (m is AdaLIN a) a.ClipRho();
            else if (m is LayerInstanceNorm l) l.ClipRho();
        }
    }

    /// <summary><c>[N, C, H, W]</c> → (translation <c>[N, C, H, W]</c> in [-1, 1], CAM logits <c>[N, 2]</c>, heat map <c>[N, 1, H/4, W/4]</c>).</summary>
    public override (Tensor Output, Tensor CamLogits, Tensor HeatMap) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = encoder.call(input);                                  // [N, 4·ngf, H/4, W/4]
        var (attended, logits, heat) = cam.call(x);                   // [N, 4·ngf, H/4, W/4], [N, 2], [N, 1, H/4, W/4]
        var h = mlp.call(Config.Light ? attended.mean(new long[] { 2, 3 }) : attended.flatten(1)); // [N, 4·ngf]
        var gamma = gammaFc.call(h);                                  // [N, 4·ngf]
        var beta = betaFc.call(h);                                    // [N, 4·ngf]
        var y = attended;
        foreach (var block in decoderBlocks) y = block.call(y, gamma, beta);
        var output = upsampling.call(y);                              // [N, C, H, W]
        return (output.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), heat.MoveToOuterDisposeScope());
    }

    /// <summary>x + IN(conv3(relu(IN(conv3(x))))) with reflection padding (the encoder's blocks).</summary>
    sealed class InResidualBlock : nn.Module<Tensor, Tensor>
    {
        readonly Sequential residual;

        public InResidualBlock(int channels) : base("in_residual_block")
        {
            residual = nn.Sequential(
                ("pad0", nn.ReflectionPad2d(1)), ("conv0", nn.Conv2d(channels, channels, 3, bias: false)), ("norm0", nn.InstanceNorm2d(channels)), ("relu", nn.ReLU()),
                ("pad1", nn.ReflectionPad2d(1)), ("conv1", nn.Conv2d(channels, channels, 3, bias: false)), ("norm1", nn.InstanceNorm2d(channels)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return (x + residual.call(x)).MoveToOuterDisposeScope(); // [N, C, h, w]
        }
    }
}

/// <summary>x + AdaLIN(conv3(relu(AdaLIN(conv3(x), γ, β))), γ, β) with reflection padding (the decoder's blocks).</summary>
sealed class AdaLinResidualBlock : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly ReflectionPad2d pad0, pad1;
    readonly Conv2d conv0, conv1;
    readonly AdaLIN norm0, norm1;

    public AdaLinResidualBlock(int channels) : base("adalin_residual_block")
    {
        pad0 = nn.ReflectionPad2d(1);
        pad1 = nn.ReflectionPad2d(1);
        conv0 = nn.Conv2d(channels, channels, 3, bias: false);
        conv1 = nn.Conv2d(channels, channels, 3, bias: false);
        norm0 = new AdaLIN(channels, name: "norm0");
        norm1 = new AdaLIN(channels, name: "norm1");
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor gamma, Tensor beta)
    {
        using var scope = NewDisposeScope();
        var h = F.relu(norm0.call(conv0.call(pad0.call(x)), gamma, beta)); // [N, C, h, w]
        h = norm1.call(conv1.call(pad1.call(h)), gamma, beta);
        return (x + h).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A U-GAT-IT discriminator: a reflection-padded spectral-normalised 4×4 stride-2 convolution (ndf) and
/// <c>layers − 1</c> more (doubling the channels), each with LeakyReLU(0.2); a stride-1 4×4 one (doubling again);
/// CAM (<see cref="ClassActivationAttention"/>, leaky 0.2); a spectral-normalised 4×4 stride-1 convolution to one
/// channel. Returns raw patch scores <c>[N, 1, H/2^L − 2, W/2^L − 2]</c> and the CAM logits <c>[N, 2]</c> (real vs
/// fake). The global discriminator has more stride-2 layers than the local one. The CAM's two classifier units are
/// plain linear layers here, not spectral-normalised (the paper's code normalises them; <see cref="ClassActivationAttention"/>
/// has no spectral-norm option).
/// </summary>
/// <remarks>Kim et al., ICLR 2020, §2.1.2 and the appendix's discriminator table (global: 5 stride-2 layers, local: 3, at 256 px).</remarks>
public sealed class UGatItDiscriminator : nn.Module<Tensor, (Tensor Scores, Tensor CamLogits)>
{
    readonly Sequential body;
    readonly ClassActivationAttention cam;
    readonly ReflectionPad2d headPad;
    readonly SpectralNormConv2d head;

    /// <summary>A discriminator with <paramref name="layers"/> stride-2 convolutions; weights drawn from <paramref name="init"/> (the global stream when null).</summary>
    public UGatItDiscriminator(UGatItConfig config, int layers, string name = "ugatit_discriminator", Generator? init = null) : base(name)
    {
        Config = config.Validate();
        if (layers < 1 || (config.Size >> layers) < 4) throw new GanSharpException($"U-GAT-IT: {layers} stride-2 discriminator layers do not fit {config.Size} px");
        Layers = layers;
        int w = config.DiscriminatorWidth, cin = config.Channels;
        var list = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers; i++)
        {
            int cout = w << i;
            list.Add(($"pad{i}", nn.ReflectionPad2d(1)));
            list.Add(($"conv{i}", new SpectralNormConv2d(cin, cout, 4, stride: 2)));
            list.Add(($"lrelu{i}", nn.LeakyReLU(0.2)));
            cin = cout;
        }
        list.Add(("pad_last", nn.ReflectionPad2d(1)));
        list.Add(("conv_last", new SpectralNormConv2d(cin, 2 * cin, 4, stride: 1)));
        list.Add(("lrelu_last", nn.LeakyReLU(0.2)));
        body = nn.Sequential(list);
        cam = new ClassActivationAttention(2 * cin, leakySlope: 0.2, name: "cam");
        headPad = nn.ReflectionPad2d(1);
        head = new SpectralNormConv2d(2 * cin, 1, 4, stride: 1, hasBias: false);
        RegisterComponents();
        UGatItInit.Default(this, init);
    }

    /// <summary>The architecture.</summary>
    public UGatItConfig Config { get; }

    /// <summary>Stride-2 convolutions.</summary>
    public int Layers { get; }

    /// <summary>Side of the score map for an input side <paramref name="size"/>.</summary>
    public int ScoreSize(int size) => (size >> Layers) - 2;

    /// <summary><c>[N, C, H, W]</c> → (patch scores <c>[N, 1, h, w]</c>, CAM logits <c>[N, 2]</c>), raw for the least-squares loss.</summary>
    public override (Tensor Scores, Tensor CamLogits) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = body.call(input);                    // [N, 2^L·ndf, H/2^L − 1, W/2^L − 1]
        var (attended, logits, _) = cam.call(x);
        var scores = head.call(headPad.call(attended)); // [N, 1, H/2^L − 2, W/2^L − 2]
        return (scores.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}

/// <summary>PyTorch's default initialisation (U(−1/√fan_in, 1/√fan_in) for the weights and biases of convolutions and linear layers, which the paper's code keeps), drawn from a given stream.</summary>
static class UGatItInit
{
    internal static void Default(nn.Module module, Generator? generator)
    {
        using var _ = no_grad();
        foreach (var m in module.modules())
        {
            if (m is not (Conv2d or Linear or SpectralNormConv2d)) continue;
            var ps = m.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter);
            if (!ps.TryGetValue("weight", out var weight)) continue;
            double bound = 1 / Math.Sqrt(weight[0].numel());
            weight.uniform_(-bound, bound, generator);
            if (ps.TryGetValue("bias", out var bias)) bias.uniform_(-bound, bound, generator);
        }
    }
}
