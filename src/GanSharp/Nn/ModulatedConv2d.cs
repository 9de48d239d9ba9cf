using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// StyleGAN2's modulated convolution: a style w <c>[N, S]</c> is mapped (equalized linear, bias 1) to per-input-channel
/// scales s <c>[N, C_in]</c> that modulate the weights, w'<sub>ijk</sub> = s<sub>i</sub> · w<sub>ijk</sub>, and, with
/// demodulation, each output channel is divided by σ<sub>j</sub> = √(Σ<sub>i,k</sub> w'<sub>ijk</sub>² + ε), so that
/// unit-variance inputs give unit-variance outputs (this replaces AdaIN's instance normalisation and with it the
/// "droplet" artefacts). Computed without grouped convolutions: the input is scaled by s, convolved with the shared
/// weight, and the output scaled by 1/σ, which is the same function (Karras et al., Appendix B, "fused = false").
/// </summary>
/// <remarks>
/// Karras, Laine, Aittala, Hellsten, Lehtinen, Aila, "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020,
/// §2.2, Eq. 1–3. The convolution is an <see cref="EqualizedConv2d"/> without bias, so its padding can be replaced
/// (<see cref="Conv"/> is the <see cref="IPaddingHook"/>) and it runs through GanSharp's channel-padded kernels.
/// </remarks>
public sealed class ModulatedConv2d : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>ε inside the demodulation square root, as in the paper's code.</summary>
    public const double Epsilon = 1e-8;

    readonly EqualizedConv2d conv;   // [out, in, k, k], no bias
    readonly EqualizedLinear affine; // w [N, S] -> s [N, in]

    /// <summary>A modulated <paramref name="kernelSize"/>² convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ModulatedConv2d(int inChannels, int outChannels, int kernelSize, int styleSize, bool demodulate = true, string name = "modulated_conv2d")
        : base(name)
    {
        if (styleSize <= 0) throw new ArgumentOutOfRangeException(nameof(styleSize), "must be positive");
        conv = new EqualizedConv2d(inChannels, outChannels, kernelSize, hasBias: false, gain: 1.0, name: "conv");
        affine = new EqualizedLinear(styleSize, inChannels, gain: 1.0, biasInit: 1.0, name: "affine");
        Demodulate = demodulate;
        RegisterComponents();
    }

    /// <summary>Whether outputs are demodulated (false for toRGB layers).</summary>
    public bool Demodulate { get; }

    /// <summary>The underlying convolution: its weight, and the padding hook of PadInv.</summary>
    public EqualizedConv2d Conv => conv;

    /// <summary>The style → scale map.</summary>
    public EqualizedLinear Affine => affine;

    /// <summary>x <c>[N, C_in, H, W]</c>, style w <c>[N, S]</c> → <c>[N, C_out, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor w)
    {
        if (x.dim() != 4 || w.dim() != 2 || w.shape[0] != x.shape[0])
            throw new ArgumentException($"expected x [N, C, H, W] and w [N, S] with the same N, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", w.shape)}]");
        using var scope = NewDisposeScope();
        var s = affine.call(w);                                             // [N, C_in]
        var y = conv.call(x * s.unsqueeze(-1).unsqueeze(-1));               // [N, C_out, H, W]
        if (Demodulate)
        {
            var w2 = conv.EffectiveWeight().square().sum(new long[] { 2, 3 }); // [C_out, C_in]
            var d = (s.square().matmul(w2.t()) + Epsilon).rsqrt();             // [N, C_out]
            y = y * d.unsqueeze(-1).unsqueeze(-1);
        }
        return y.MoveToOuterDisposeScope();
    }
}
