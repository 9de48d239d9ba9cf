namespace GanSharp.Reports;

/// <summary>One polyline of a <see cref="LinePlot"/>: a legend label and its points in data coordinates.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="Points">The points, drawn in order.</param>
public sealed record LineSeries(string Label, IReadOnlyList<(double X, double Y)> Points);
