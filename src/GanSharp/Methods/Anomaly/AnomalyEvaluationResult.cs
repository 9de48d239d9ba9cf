using GanSharp.Metrics;

namespace GanSharp.Methods.Anomaly;

/// <summary>Metrics of one evaluation.</summary>
/// <param name="Auroc">Area under the ROC curve.</param>
/// <param name="Auprc">Average precision.</param>
/// <param name="Roc">The ROC curve.</param>
/// <param name="AtThreshold">Precision/recall/F1 at the model's threshold, or null when it has none.</param>
/// <param name="Normal">Normal items.</param>
/// <param name="Anomalous">Anomalous items.</param>
public sealed record AnomalyEvaluationResult(double Auroc, double Auprc, IReadOnlyList<RocPoint> Roc, ThresholdReport? AtThreshold, int Normal, int Anomalous);
