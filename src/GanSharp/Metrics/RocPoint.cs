namespace GanSharp.Metrics;

/// <summary>One point of a ROC curve: the false- and true-positive rates when every score above a threshold is called anomalous.</summary>
/// <param name="FalsePositiveRate">Fraction of normal items called anomalous.</param>
/// <param name="TruePositiveRate">Fraction of anomalous items called anomalous (recall).</param>
/// <param name="Threshold">The score at which this point is reached (items with score ≥ threshold are positive); +∞ for (0, 0).</param>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);
