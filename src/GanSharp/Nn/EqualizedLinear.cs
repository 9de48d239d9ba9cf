using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Nn;

/// <summary>
/// A fully connected layer with an equalized learning rate: weights are stored as N(0, 1) / lrMultiplier and scaled at
/// run time by <c>gain / sqrt(fan_in) · lrMultiplier</c>; the bias is stored as <c>biasInit / lrMultiplier</c> and
/// scaled by <c>lrMultiplier</c>.
/// </summary>
/// <remarks>
/// Karras, Aila, Laine, Lehtinen, "Progressive Growing of GANs for Improved Quality, Stability, and Variation",
/// ICLR 2018, §4.1. The run-time scale makes every weight's effective step size the same under Adam. The learning-rate
/// multiplier (0.01 for StyleGAN's mapping network, Karras et al. 2019, §C) slows a layer down by the same trick.
/// Use <see cref="HeGain"/> before a (leaky) ReLU and 1 before a linear output.
/// </remarks>
public sealed class EqualizedLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>He's gain, <c>sqrt(2)</c>, for layers followed by a (leaky) ReLU.</summary>
    public static readonly double HeGain = Math.Sqrt(2.0);

    readonly Parameter weight; // [out, in], N(0, 1) / lrMultiplier
    readonly Parameter? bias;  // [out]
    readonly double weightScale;
    readonly double lrMultiplier;

    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Input size (the fan-in).</param>
    /// <param name="outFeatures">Output size.</param>
    /// <param name="hasBias">Whether the layer adds a bias.</param>
    /// <param name="gain">Gain of the run-time scale (<see cref="HeGain"/> before a leaky ReLU).</param>
    /// <param name="lrMultiplier">Learning-rate multiplier (1 normally; 0.01 in StyleGAN's mapping network).</param>
    /// <param name="biasInit">Initial value of the effective bias.</param>
    /// <param name="name">Module name.</param>
    public EqualizedLinear(long inFeatures, long outFeatures, bool hasBias = true, double gain = 1.0,
        double lrMultiplier = 1.0, double biasInit = 0.0, string name = "equalized_linear") : base(name)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), "feature counts must be positive");
        if (!(lrMultiplier > 0)) throw new ArgumentOutOfRangeException(nameof(lrMultiplier), "must be positive");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        this.lrMultiplier = lrMultiplier;
        weightScale = gain / Math.Sqrt(inFeatures) * lrMultiplier;
        weight = nn.Parameter(randn(outFeatures, inFeatures) / lrMultiplier);
        if (hasBias) bias = nn.Parameter(full(new long[] { outFeatures }, biasInit / lrMultiplier));
        RegisterComponents();
    }

    /// <summary>Input size.</summary>
    public long InFeatures { get; }

    /// <summary>Output size.</summary>
    public long OutFeatures { get; }

    /// <summary>The stored weight <c>[out, in]</c> (before the run-time scale).</summary>
    public Parameter Weight => weight;

    /// <summary>The stored bias <c>[out]</c> (before the learning-rate multiplier), or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The weight actually applied: <c>Weight · gain / sqrt(fan_in) · lrMultiplier</c>.</summary>
    public Tensor EffectiveWeight() => weight * weightScale;

    /// <summary>Maps <c>[..., in]</c> to <c>[..., out]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var b = bias is null ? null : (lrMultiplier == 1.0 ? bias : bias * lrMultiplier);
        return F.linear(input, weight * weightScale, b).MoveToOuterDisposeScope();
    }
}
