namespace GanSharp.Metrics;

/// <summary>The values one metric computed on one <see cref="SampleSet"/>.</summary>
/// <param name="Metric">The metric's name (e.g. <c>fid</c>).</param>
/// <param name="Values">Named values (e.g. <c>precision</c>, <c>recall</c>).</param>
/// <param name="SampleCount">N, the number of real and of generated samples; values are comparable only at equal N.</param>
/// <param name="Elapsed">Time spent computing the metric (not extracting features).</param>
public sealed record MetricResult(string Metric, IReadOnlyDictionary<string, double> Values, int SampleCount, TimeSpan Elapsed)
{
    /// <summary>The value named <paramref name="name"/>.</summary>
    public double this[string name] => Values.TryGetValue(name, out double v) ? v
        : throw new KeyNotFoundException($"metric {Metric} has no value '{name}' (it has: {string.Join(", ", Values.Keys)})");
}

/// <summary>
/// A metric of a generator over feature sets of real and generated images, registered by name in a
/// <see cref="MetricRegistry"/> and logged to <c>metric-&lt;name&gt;.jsonl</c> by <see cref="MetricLog"/>
/// (after stylegan2-ada's metric registry).
/// </summary>
public interface IMetric
{
    /// <summary>A short lower-case name, safe in a file name (e.g. <c>fid</c>, <c>pr</c>).</summary>
    string Name { get; }

    /// <summary>One line describing what the metric measures and which direction is better.</summary>
    string Description { get; }

    /// <summary>Computes the metric on <paramref name="samples"/>.</summary>
    MetricResult Compute(SampleSet samples);
}
