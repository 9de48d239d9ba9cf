namespace GanSharp.Methods.Anomaly.AnoGan;

/// <summary>AnoGAN's scoring options (Schlegl et al. 2017).</summary>
/// <param name="Lambda">λ: weight of the discriminator-feature term D_f against the residual R (the paper: 0.1).</param>
/// <param name="SearchSteps">Adam steps of the per-image latent search (the paper: 500).</param>
/// <param name="SearchLearningRate">Adam's learning rate on z.</param>
public sealed record AnoGanOptions(double Lambda = 0.1, int SearchSteps = 500, double SearchLearningRate = 0.05)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public AnoGanOptions Validate()
    {
        if (!(Lambda >= 0 && Lambda <= 1)) throw new GanSharpException($"AnoGAN lambda {Lambda}: must be in [0, 1]");
        if (SearchSteps < 1) throw new GanSharpException($"AnoGAN search steps {SearchSteps}: must be at least 1");
        if (!(SearchLearningRate > 0)) throw new GanSharpException($"AnoGAN search learning rate {SearchLearningRate}: must be positive");
        return this;
    }
}
