using GanSharp.Losses;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>
/// Options of adversarial training. Null values take the paper defaults of <see cref="Loss"/>
/// (<see cref="AdversarialLosses.Defaults"/>); <see cref="Resolve"/> fills them in, and the resolved record is what
/// run folders and checkpoints record.
/// </summary>
/// <param name="Loss">The adversarial loss (default: non-saturating).</param>
/// <param name="CriticSteps">Discriminator updates per generator update (WGAN: 5).</param>
/// <param name="Optimizer">Adam or RMSProp (WGAN).</param>
/// <param name="LearningRate">Learning rate of both networks.</param>
/// <param name="Beta1">Adam β1.</param>
/// <param name="Beta2">Adam β2.</param>
/// <param name="ClipValue">WGAN weight clipping bound c.</param>
/// <param name="GradientPenaltyWeight">WGAN-GP λ.</param>
/// <param name="R1Gamma">R1 penalty γ on real images (0: off).</param>
/// <param name="R1Interval">Lazy R1: apply every this many discriminator steps, scaled by the interval.</param>
/// <param name="EmaBeta">Decay of the generator's EMA copy used for samples (0: the EMA copy follows the generator exactly);
/// ramped up as min(β, (1 + t)/(10 + t)) over the first generator updates t.</param>
/// <param name="GradientClipNorm">Clip both networks' gradient norms to this value (0: off).</param>
/// <param name="Augment">Differentiable augmentation (DiffAugment) of every image D sees, real and fake, in D and G steps; None: off.</param>
/// <param name="AugmentProbability">Probability p with which each transform of <paramref name="Augment"/> is applied to each
/// image (1: always, DiffAugment's setting); with <paramref name="AdaptiveAugment"/> the starting p.</param>
/// <param name="AdaptiveAugment">Adapt p with ADA's overfitting heuristic r_t = E[sign(D(real))] (target 0.6, every 4 steps);
/// p is logged as <c>augment_p</c> and saved in checkpoints.</param>
/// <param name="AugmentSpeedImages">Adaptive p: real images over which p can move by 1 (ADA: 500,000).</param>
/// <param name="PathLengthWeight">StyleGAN2's path length regularisation weight (style generators only; 0: off; the paper: 2).
/// See <see cref="Losses.PathLengthRegularizer"/>.</param>
/// <param name="PathLengthInterval">Lazy path length regularisation: every this many generator steps, scaled by the interval.</param>
/// <param name="PathLengthBatchShrink">The path length batch is the training batch divided by this (the paper: 2).</param>
public sealed record GanOptions(
    AdversarialLoss Loss = AdversarialLoss.NonSaturating,
    int? CriticSteps = null,
    OptimizerKind? Optimizer = null,
    double? LearningRate = null,
    double? Beta1 = null,
    double? Beta2 = null,
    double? ClipValue = null,
    double? GradientPenaltyWeight = null,
    double R1Gamma = 0,
    int R1Interval = 16,
    double EmaBeta = 0.999,
    double GradientClipNorm = 0,
    Nn.DiffAugmentPolicy Augment = Nn.DiffAugmentPolicy.None,
    double AugmentProbability = 1.0,
    bool AdaptiveAugment = false,
    int AugmentSpeedImages = Nn.AdaptiveAugmentProbability.DefaultSpeedImages,
    double PathLengthWeight = 0,
    int PathLengthInterval = Losses.PathLengthRegularizer.DefaultInterval,
    int PathLengthBatchShrink = 2)
{
    /// <summary>
    /// Reads <c>--augment-p</c>: <c>adaptive</c> (ADA, p starting at 0) or a fixed probability in [0, 1]; null or empty:
    /// fixed 1 (every transform on every image).
    /// </summary>
    public static (double Probability, bool Adaptive) ParseAugmentProbability(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (1.0, false);
        if (text.Trim().Equals("adaptive", StringComparison.OrdinalIgnoreCase)) return (0.0, true);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double p) && p is >= 0 and <= 1)
            return (p, false);
        throw new GanSharpException($"augmentation probability '{text}': not adaptive nor a number in [0, 1]", "use --augment-p adaptive or e.g. --augment-p 0.5");
    }

    /// <summary>These options with every null replaced by the loss's paper default.</summary>
    public GanOptions Resolve()
    {
        var d = AdversarialLosses.Defaults(Loss);
        return this with
        {
            CriticSteps = CriticSteps ?? d.CriticSteps,
            Optimizer = Optimizer ?? d.Optimizer,
            LearningRate = LearningRate ?? d.LearningRate,
            Beta1 = Beta1 ?? d.Beta1,
            Beta2 = Beta2 ?? d.Beta2,
            ClipValue = ClipValue ?? d.ClipValue,
            GradientPenaltyWeight = GradientPenaltyWeight ?? d.GradientPenaltyWeight,
        };
    }

    /// <summary>Resolves, then throws a <see cref="GanSharpException"/> naming the first bad value.</summary>
    public GanOptions Validate()
    {
        var r = Resolve();
        if (r.CriticSteps < 1) throw new GanSharpException($"critic steps {r.CriticSteps}: must be at least 1");
        if (!(r.LearningRate > 0)) throw new GanSharpException($"learning rate {r.LearningRate}: must be positive");
        if (!(r.Beta1 >= 0 && r.Beta1 < 1) || !(r.Beta2 >= 0 && r.Beta2 < 1)) throw new GanSharpException($"Adam betas ({r.Beta1}, {r.Beta2}): must be in [0, 1)");
        if (r.Loss == AdversarialLoss.Wgan && !(r.ClipValue > 0)) throw new GanSharpException($"WGAN clip value {r.ClipValue}: must be positive");
        if (r.Loss == AdversarialLoss.WganGp && !(r.GradientPenaltyWeight >= 0)) throw new GanSharpException($"gradient penalty weight {r.GradientPenaltyWeight}: must not be negative");
        if (r.R1Gamma < 0) throw new GanSharpException($"R1 gamma {r.R1Gamma}: must not be negative");
        if (r.R1Interval < 1) throw new GanSharpException($"R1 interval {r.R1Interval}: must be at least 1");
        if (!(r.EmaBeta >= 0 && r.EmaBeta < 1)) throw new GanSharpException($"EMA beta {r.EmaBeta}: must be in [0, 1)");
        if (r.GradientClipNorm < 0) throw new GanSharpException($"gradient clip norm {r.GradientClipNorm}: must not be negative");
        if (!(r.AugmentProbability is >= 0 and <= 1)) throw new GanSharpException($"augmentation probability {r.AugmentProbability}: must be in [0, 1]");
        if (r.AugmentSpeedImages <= 0) throw new GanSharpException($"adaptive augmentation speed {r.AugmentSpeedImages} images: must be positive");
        if (!(r.PathLengthWeight >= 0 && double.IsFinite(r.PathLengthWeight))) throw new GanSharpException($"path length weight {r.PathLengthWeight}: must be a finite number, not negative");
        if (r.PathLengthInterval < 1) throw new GanSharpException($"path length interval {r.PathLengthInterval}: must be at least 1");
        if (r.PathLengthBatchShrink < 1) throw new GanSharpException($"path length batch shrink {r.PathLengthBatchShrink}: must be at least 1");
        if (r.AdaptiveAugment && r.Augment == Nn.DiffAugmentPolicy.None)
            throw new GanSharpException("adaptive augmentation probability without an augmentation", "add --augment all (or color,translation,cutout)");
        return r;
    }
}
