namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>f-AnoGAN's encoder-stage and scoring options.</summary>
/// <param name="Variant">Encoder training variant (izi_f by default, as in the paper).</param>
/// <param name="Kappa">κ: weight of the feature residual in izi_f and in the score (1).</param>
/// <param name="LearningRate">Adam learning rate of the encoder.</param>
/// <param name="Beta1">Adam β1.</param>
/// <param name="Beta2">Adam β2.</param>
public sealed record FAnoGanOptions(FAnoGanVariant Variant = FAnoGanVariant.IziF, double Kappa = 1, double LearningRate = 1e-4, double Beta1 = 0.5, double Beta2 = 0.999)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public FAnoGanOptions Validate()
    {
        if (!Enum.IsDefined(Variant)) throw new GanSharpException($"f-AnoGAN variant {(int)Variant}: use izi, ziz or izi_f");
        if (!(Kappa >= 0)) throw new GanSharpException($"f-AnoGAN kappa {Kappa}: must not be negative");
        if (!(LearningRate > 0)) throw new GanSharpException($"f-AnoGAN learning rate {LearningRate}: must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new GanSharpException($"f-AnoGAN Adam betas ({Beta1}, {Beta2}): must be in [0, 1)");
        return this;
    }

    /// <summary>Parses <c>izi</c>, <c>ziz</c> or <c>izi_f</c> (also <c>izif</c>, <c>izi-f</c>).</summary>
    public static FAnoGanVariant ParseVariant(string text) => text.Trim().ToLowerInvariant().Replace("-", "_") switch
    {
        "izi" => FAnoGanVariant.Izi,
        "ziz" => FAnoGanVariant.Ziz,
        "izi_f" or "izif" => FAnoGanVariant.IziF,
        _ => throw new GanSharpException($"f-AnoGAN variant '{text}' is unknown", "use izi, ziz or izi_f"),
    };
}
