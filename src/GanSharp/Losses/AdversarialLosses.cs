using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>Optimiser families the papers' defaults call for.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba 2015).</summary>
    Adam,

    /// <summary>RMSProp: WGAN avoids momentum optimisers with a clipped critic.</summary>
    RmsProp,
}

/// <summary>The training settings a loss's paper uses; a method's options start from these.</summary>
/// <param name="Optimizer">Optimiser for both networks.</param>
/// <param name="LearningRate">Learning rate for both networks.</param>
/// <param name="Beta1">Adam's β₁ (unused by RMSProp).</param>
/// <param name="Beta2">Adam's β₂ (unused by RMSProp).</param>
/// <param name="CriticSteps">n_critic: discriminator steps per generator step.</param>
/// <param name="ClipValue">c for <see cref="WassersteinLoss.ClipWeights"/>, or null where the loss does not clip.</param>
/// <param name="GradientPenaltyWeight">λ for <see cref="Penalties.GradientPenalty"/>, or null where it is not used.</param>
public sealed record LossDefaults(
    OptimizerKind Optimizer,
    double LearningRate,
    double Beta1,
    double Beta2,
    int CriticSteps,
    double? ClipValue = null,
    double? GradientPenaltyWeight = null)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new GanSharpException($"learning rate {LearningRate}: must be a positive number");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
            throw new GanSharpException($"betas ({Beta1}, {Beta2}): each must be in [0, 1)");
        if (CriticSteps < 1) throw new GanSharpException($"critic steps {CriticSteps}: must be at least 1");
        if (ClipValue is double c && (!(c > 0) || double.IsInfinity(c)))
            throw new GanSharpException($"clip value {c}: must be a positive number");
        if (GradientPenaltyWeight is double l && (!(l >= 0) || double.IsInfinity(l)))
            throw new GanSharpException($"gradient penalty weight {l}: must be zero or positive");
    }
}

/// <summary>
/// One entry point over the adversarial losses, for code that picks the loss at run time (a method's options).
/// Gradient penalties need the critic itself and are added by the caller: <see cref="Penalties.GradientPenalty"/>
/// for <see cref="AdversarialLoss.WganGp"/>, <see cref="Penalties.R1Penalty"/> for any loss.
/// </summary>
public static class AdversarialLosses
{
    /// <summary>The discriminator/critic loss L_D for <paramref name="kind"/> (Minimax and NonSaturating share it).</summary>
    /// <param name="kind">The objective.</param>
    /// <param name="realScores">Raw outputs on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Raw outputs on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor DiscriminatorLoss(AdversarialLoss kind, Tensor realScores, Tensor fakeScores) => kind switch
    {
        AdversarialLoss.Minimax or AdversarialLoss.NonSaturating => MinimaxLoss.Discriminator(realScores, fakeScores),
        AdversarialLoss.Wgan or AdversarialLoss.WganGp => WassersteinLoss.Critic(realScores, fakeScores),
        AdversarialLoss.Lsgan => LeastSquaresLoss.Discriminator(realScores, fakeScores),
        AdversarialLoss.Hinge => HingeLoss.Discriminator(realScores, fakeScores),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The generator loss L_G for <paramref name="kind"/>.</summary>
    /// <param name="kind">The objective.</param>
    /// <param name="fakeScores">Raw outputs on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor GeneratorLoss(AdversarialLoss kind, Tensor fakeScores) => kind switch
    {
        AdversarialLoss.Minimax => MinimaxLoss.GeneratorMinimax(fakeScores),
        AdversarialLoss.NonSaturating => MinimaxLoss.GeneratorNonSaturating(fakeScores),
        AdversarialLoss.Wgan or AdversarialLoss.WganGp => WassersteinLoss.Generator(fakeScores),
        AdversarialLoss.Lsgan => LeastSquaresLoss.Generator(fakeScores),
        AdversarialLoss.Hinge => HingeLoss.Generator(fakeScores),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The paper's training settings for <paramref name="kind"/>: WGAN RMSProp(5e-5), n_critic 5, c 0.01
    /// (Arjovsky 2017); WGAN-GP Adam(1e-4, β = (0, 0.9)), n_critic 5, λ 10 (Gulrajani 2017); the others the
    /// DCGAN settings Adam(2e-4, β = (0.5, 0.999)), n_critic 1 (Radford 2016; also Mao 2017's LSGAN lr and β₁).
    /// </summary>
    /// <param name="kind">The objective.</param>
    public static LossDefaults Defaults(AdversarialLoss kind) => kind switch
    {
        AdversarialLoss.Wgan => new LossDefaults(OptimizerKind.RmsProp, 5e-5, 0, 0, 5, ClipValue: 0.01),
        AdversarialLoss.WganGp => new LossDefaults(OptimizerKind.Adam, 1e-4, 0, 0.9, 5, GradientPenaltyWeight: 10),
        AdversarialLoss.Minimax or AdversarialLoss.NonSaturating or AdversarialLoss.Lsgan or AdversarialLoss.Hinge =>
            new LossDefaults(OptimizerKind.Adam, 2e-4, 0.5, 0.999, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
