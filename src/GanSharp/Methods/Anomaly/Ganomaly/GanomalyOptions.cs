namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>GANomaly's training options (Akçay et al. 2018 defaults).</summary>
/// <param name="AdversarialWeight">w_adv of the feature-matching adversarial loss (1).</param>
/// <param name="ContextualWeight">w_con of the contextual L1 loss (50).</param>
/// <param name="EncoderWeight">w_enc of the latent L2 loss (1).</param>
/// <param name="LearningRate">Adam learning rate of both networks (2e-4).</param>
/// <param name="Beta1">Adam β1 (0.5).</param>
public sealed record GanomalyOptions(double AdversarialWeight = 1, double ContextualWeight = 50, double EncoderWeight = 1, double LearningRate = 2e-4, double Beta1 = 0.5)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public GanomalyOptions Validate()
    {
        if (AdversarialWeight < 0 || ContextualWeight < 0 || EncoderWeight < 0) throw new GanSharpException("GANomaly loss weights must not be negative");
        if (!(LearningRate > 0)) throw new GanSharpException($"GANomaly learning rate {LearningRate}: must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new GanSharpException($"GANomaly beta1 {Beta1}: must be in [0, 1)");
        return this;
    }
}
