using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// A stride-1 convolution with an equalized learning rate (weights N(0, 1) scaled at run time by
/// <c>gain / sqrt(in · k · k)</c>) and the replaceable padding of <see cref="PaddedConv2d"/>, so it is a
/// <see cref="IPaddingHook"/>.
/// </summary>
/// <remarks>
/// Karras, Aila, Laine, Lehtinen, "Progressive Growing of GANs", ICLR 2018, §4.1 (equalized learning rate); the padding
/// hook follows PadInv (Bai et al., ECCV 2022). With <see cref="ExternalPadding"/> null it computes exactly
/// <c>conv2d(x, w · scale, b · lrMultiplier, padding)</c>.
/// </remarks>
public sealed class EqualizedConv2d : nn.Module<Tensor, Tensor>, IPaddingHook
{
    readonly Parameter weight; // [out, in, k, k], N(0, 1) / lrMultiplier
    readonly Parameter? bias;  // [out]
    readonly double weightScale;
    readonly double lrMultiplier;
    readonly PaddedConv2d.PaddingState state;

    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="padding">Padding on each side; -1 means <c>kernelSize / 2</c>.</param>
    /// <param name="hasBias">Whether the layer adds a bias (initialised to zero).</param>
    /// <param name="gain">Gain of the run-time scale (<see cref="EqualizedLinear.HeGain"/> before a leaky ReLU).</param>
    /// <param name="lrMultiplier">Learning-rate multiplier.</param>
    /// <param name="name">Module name.</param>
    public EqualizedConv2d(int inChannels, int outChannels, int kernelSize, int padding = -1, bool hasBias = true,
        double gain = 1.0, double lrMultiplier = 1.0, string name = "equalized_conv2d") : base(name)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), "channels and kernel size must be positive");
        if (!(lrMultiplier > 0)) throw new ArgumentOutOfRangeException(nameof(lrMultiplier), "must be positive");
        state = new PaddedConv2d.PaddingState(inChannels, padding < 0 ? kernelSize / 2 : padding);
        OutChannels = outChannels;
        KernelSize = kernelSize;
        this.lrMultiplier = lrMultiplier;
        weightScale = gain / Math.Sqrt(inChannels * kernelSize * kernelSize) * lrMultiplier;
        weight = nn.Parameter(randn(outChannels, inChannels, kernelSize, kernelSize) / lrMultiplier);
        if (hasBias) bias = nn.Parameter(zeros(outChannels));
        RegisterComponents();
    }

    /// <inheritdoc />
    public int Channels => state.Channels;

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; }

    /// <inheritdoc />
    public int Padding => state.Padding;

    /// <inheritdoc />
    public (int Height, int Width) LastInputSize => state.LastInputSize;

    /// <inheritdoc />
    public Tensor? ExternalPadding { get => state.External; set => state.External = value; }

    /// <summary>The stored weight <c>[out, in, k, k]</c> (before the run-time scale).</summary>
    public Parameter Weight => weight;

    /// <summary>The stored bias <c>[out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The weight as the convolution uses it: the stored weight times its equalized-lr scale, <c>[out, in, k, k]</c>.</summary>
    public Tensor EffectiveWeight() => weight * weightScale;

    /// <summary>Convolves <c>[N, in, H, W]</c> to <c>[N, out, H + 2p − k + 1, W + 2p − k + 1]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var b = bias is null ? null : (lrMultiplier == 1.0 ? bias : bias * lrMultiplier);
        return state.Convolve(input, weight * weightScale, b).MoveToOuterDisposeScope();
    }
}
