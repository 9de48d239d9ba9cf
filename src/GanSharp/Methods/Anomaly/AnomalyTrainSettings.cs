namespace GanSharp.Methods.Anomaly;

/// <summary>
/// Settings of <c>gansharp anomaly train</c> shared by every method; method-specific constants (λ, κ, α, loss weights)
/// are the papers' defaults in each method's options record.
/// </summary>
/// <param name="Method"><c>anogan</c>, <c>ganomaly</c>, <c>fanogan</c> or <c>egbad</c>.</param>
/// <param name="Steps">Training steps of the main stage (for AnoGAN/f-AnoGAN: discriminator steps of the GAN).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Seed">Seed of data order, initial weights and latents.</param>
/// <param name="Width">DCGAN width multiplier of every network.</param>
/// <param name="Latent">Size of z.</param>
/// <param name="EncoderSteps">f-AnoGAN's encoder stage steps (null: same as <paramref name="Steps"/>).</param>
/// <param name="SearchSteps">AnoGAN's latent-search steps per image when scoring (the paper: 500).</param>
/// <param name="ThresholdPercentile">The decision threshold is this percentile of held-out normal scores.</param>
/// <param name="ValidationFraction">Fraction of the normal training images held out (not trained on) for the threshold.</param>
/// <param name="FAnoGanVariant">f-AnoGAN encoder training: izi, ziz or izi_f.</param>
/// <param name="EgbadScore">EGBAD's L_D in the score: cross-entropy or feature matching.</param>
/// <param name="LearningRate">Overrides every network's learning rate (null: each paper's default).</param>
public sealed record AnomalyTrainSettings(
    string Method,
    long Steps = 2000,
    int BatchSize = 64,
    ulong Seed = 1,
    int Width = 32,
    int Latent = 64,
    long? EncoderSteps = null,
    int SearchSteps = 500,
    double ThresholdPercentile = 95,
    double ValidationFraction = 0.1,
    FAnoGan.FAnoGanVariant FAnoGanVariant = FAnoGan.FAnoGanVariant.IziF,
    Egbad.EgbadScoreKind EgbadScore = Egbad.EgbadScoreKind.CrossEntropy,
    double? LearningRate = null)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public AnomalyTrainSettings Validate()
    {
        AnomalyDetectors.Get(Method);
        if (Steps < 1) throw new GanSharpException($"--steps {Steps}: must be at least 1");
        if (EncoderSteps is < 1) throw new GanSharpException($"--encoder-steps {EncoderSteps}: must be at least 1");
        if (BatchSize < 1) throw new GanSharpException($"--batch {BatchSize}: must be at least 1");
        if (Width < 1 || Width > 1024) throw new GanSharpException($"--width {Width}: must be 1..1024");
        if (Latent < 1 || Latent > 4096) throw new GanSharpException($"--latent {Latent}: must be 1..4096");
        if (SearchSteps < 1) throw new GanSharpException($"--search-steps {SearchSteps}: must be at least 1");
        if (!(ThresholdPercentile >= 0 && ThresholdPercentile <= 100)) throw new GanSharpException($"--percentile {ThresholdPercentile}: must be in [0, 100]");
        if (!(ValidationFraction > 0 && ValidationFraction < 0.5)) throw new GanSharpException($"validation fraction {ValidationFraction}: must be in (0, 0.5)");
        if (LearningRate is double lr && !(lr > 0 && lr < 1)) throw new GanSharpException($"--lr {lr}: must be in (0, 1)");
        return this;
    }
}
