namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>EGBAD's options (Zenati et al. 2018).</summary>
/// <param name="Alpha">α: weight of the reconstruction residual in the score (0.9); L_D gets 1 − α.</param>
/// <param name="Score">Which L_D the score uses.</param>
/// <param name="LearningRate">Adam learning rate of all networks.</param>
/// <param name="Beta1">Adam β1.</param>
/// <param name="JointWidth">Units of the discriminator's z branch and joint layer.</param>
public sealed record EgbadOptions(double Alpha = 0.9, EgbadScoreKind Score = EgbadScoreKind.CrossEntropy, double LearningRate = 2e-4, double Beta1 = 0.5, int JointWidth = 256)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public EgbadOptions Validate()
    {
        if (!(Alpha >= 0 && Alpha <= 1)) throw new GanSharpException($"EGBAD alpha {Alpha}: must be in [0, 1]");
        if (!Enum.IsDefined(Score)) throw new GanSharpException($"EGBAD score {(int)Score}: use cross-entropy or feature-matching");
        if (!(LearningRate > 0)) throw new GanSharpException($"EGBAD learning rate {LearningRate}: must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new GanSharpException($"EGBAD beta1 {Beta1}: must be in [0, 1)");
        if (JointWidth < 1 || JointWidth > 8192) throw new GanSharpException($"EGBAD joint width {JointWidth}: must be 1..8192");
        return this;
    }

    /// <summary>Parses <c>ce</c>/<c>cross-entropy</c> or <c>fm</c>/<c>feature-matching</c>.</summary>
    public static EgbadScoreKind ParseScore(string text) => text.Trim().ToLowerInvariant().Replace("_", "-") switch
    {
        "ce" or "cross-entropy" or "crossentropy" => EgbadScoreKind.CrossEntropy,
        "fm" or "feature-matching" or "featurematching" => EgbadScoreKind.FeatureMatching,
        _ => throw new GanSharpException($"EGBAD score '{text}' is unknown", "use ce (cross-entropy) or fm (feature matching)"),
    };
}
