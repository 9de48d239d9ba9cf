using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// One resolution of StyleGAN's synthesis network: (upsample ×2, 3×3 conv | learned constant), noise, leaky ReLU,
/// AdaIN; 3×3 conv, noise, leaky ReLU, AdaIN. Block 0 starts from the learned 4×4 constant instead of an upsampled input.
/// </summary>
/// <remarks>Karras, Laine, Aila, CVPR 2019, Fig. 1b. The paper's blur after upsampling is left out.</remarks>
internal sealed class SynthesisBlock : nn.Module
{
    readonly Parameter? constant;     // [1, C, 4, 4], block 0 only
    readonly EqualizedConv2d? conv0;  // upsampled input -> C, blocks > 0 only
    readonly NoiseInjection noise0;
    readonly AdaIN adain0;
    readonly EqualizedConv2d conv1;
    readonly NoiseInjection noise1;
    readonly AdaIN adain1;

    public SynthesisBlock(int inChannels, int outChannels, int resolution, int styleSize, bool first, string name) : base(name)
    {
        Resolution = resolution;
        Channels = outChannels;
        if (first) constant = nn.Parameter(ones(1, outChannels, resolution, resolution));
        else conv0 = new EqualizedConv2d(inChannels, outChannels, 3, gain: EqualizedLinear.HeGain, name: "conv0");
        noise0 = new NoiseInjection(outChannels, "noise0");
        adain0 = new AdaIN(outChannels, styleSize, "adain0");
        conv1 = new EqualizedConv2d(outChannels, outChannels, 3, gain: EqualizedLinear.HeGain, name: "conv1");
        noise1 = new NoiseInjection(outChannels, "noise1");
        adain1 = new AdaIN(outChannels, styleSize, "adain1");
        RegisterComponents();
    }

    /// <summary>Output side in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Output channels.</summary>
    public int Channels { get; }

    /// <summary>The block's 3×3 convolutions in order (one for block 0, two otherwise).</summary>
    public IEnumerable<IPaddingHook> PaddingHooks => conv0 is null ? new IPaddingHook[] { conv1 } : new IPaddingHook[] { conv0, conv1 };

    /// <summary>
    /// x <c>[N, C_in, R/2, R/2]</c> (null for block 0), styles w0, w1 <c>[N, S]</c>, noise <c>[N or 1, 1, R, R]</c>
    /// → <c>[N, C, R, R]</c>.
    /// </summary>
    public Tensor Forward(Tensor? x, Tensor w0, Tensor w1, Tensor n0, Tensor n1)
    {
        using var scope = NewDisposeScope();
        if (constant is not null) x = constant.expand(w0.shape[0], -1, -1, -1); // [N, C, 4, 4]
        else
        {
            ArgumentNullException.ThrowIfNull(x);
            x = F.interpolate(x, scale_factor: new double[] { 2, 2 }, mode: InterpolationMode.Nearest); // [N, C_in, R, R]
            x = conv0!.call(x);                                                                          // [N, C, R, R]
        }
        x = adain0.call(F.leaky_relu(noise0.call(x, n0), 0.2), w0);
        x = conv1.call(x);
        x = adain1.call(F.leaky_relu(noise1.call(x, n1), 0.2), w1);
        return x.MoveToOuterDisposeScope();
    }
}
