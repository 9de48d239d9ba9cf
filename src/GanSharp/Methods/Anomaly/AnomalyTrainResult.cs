using GanSharp.Training;

namespace GanSharp.Methods.Anomaly;

/// <summary>The outcome of <see cref="AnomalyPipeline.Train"/>.</summary>
/// <param name="RunFolder">The run folder.</param>
/// <param name="ModelPath">The model checkpoint folder (<c>&lt;run&gt;/model</c>).</param>
/// <param name="Info">What the model records (including the threshold).</param>
/// <param name="Scorer">The trained scorer (live networks).</param>
/// <param name="Stages">The training stages.</param>
/// <param name="ValidationScores">Scores of the held-out normal images.</param>
public sealed record AnomalyTrainResult(string RunFolder, string ModelPath, AnomalyModelInfo Info, IAnomalyScorer Scorer,
    IReadOnlyList<TrainingResult> Stages, double[] ValidationScores);
