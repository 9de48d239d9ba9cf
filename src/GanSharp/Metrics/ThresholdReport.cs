namespace GanSharp.Metrics;

/// <summary>
/// A decision threshold (a score above it is called anomalous) and how it does on labelled data.
/// </summary>
/// <param name="Threshold">The score threshold.</param>
/// <param name="Percentile">The percentile of held-out normal scores it was taken at (e.g. 95), or NaN when given directly.</param>
/// <param name="Precision">Anomalies among the items called anomalous (0 when none is called anomalous).</param>
/// <param name="Recall">Anomalies called anomalous among all anomalies.</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="FalsePositiveRate">Normal items called anomalous among all normal items.</param>
public sealed record ThresholdReport(double Threshold, double Percentile, double Precision, double Recall, double F1, double FalsePositiveRate);
