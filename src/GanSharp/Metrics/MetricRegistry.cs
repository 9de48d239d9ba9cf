using System.Text.RegularExpressions;

namespace GanSharp.Metrics;

/// <summary>
/// The metrics known by name. The list is explicit code (<see cref="CreateDefault"/>), never found by reflection;
/// a method or user adds its own with <see cref="Register"/>.
/// </summary>
public sealed partial class MetricRegistry
{
    readonly object gate = new();
    readonly List<IMetric> metrics = new();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <summary>An empty registry.</summary>
    public MetricRegistry() { }

    /// <summary>A registry holding <paramref name="metrics"/> in order.</summary>
    public MetricRegistry(IEnumerable<IMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var m in metrics) Register(m);
    }

    /// <summary>The process-wide registry, holding the built-in metrics.</summary>
    public static MetricRegistry Default { get; } = CreateDefault();

    /// <summary>A fresh registry with the built-in metrics: <c>fid</c>, <c>pr</c>, <c>dc</c>.</summary>
    public static MetricRegistry CreateDefault() => new(new IMetric[]
    {
        new FidMetric(),
        new PrecisionRecallMetric(),
        new DensityCoverageMetric(),
    });

    /// <summary>The registered metrics, in registration order.</summary>
    public IReadOnlyList<IMetric> All
    {
        get { lock (gate) return metrics.ToArray(); }
    }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => All.Select(m => m.Name).ToArray();

    /// <summary>Adds <paramref name="metric"/>; its name must be new and file-name safe (lower-case letters, digits, '-', '_').</summary>
    public void Register(IMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.Name is null || !NamePattern().IsMatch(metric.Name))
            throw new ArgumentException($"metric name '{metric.Name}' must be 1-64 lower-case letters, digits, '-' or '_'", nameof(metric));
        lock (gate)
        {
            if (metrics.Any(m => m.Name == metric.Name)) throw new ArgumentException($"a metric named '{metric.Name}' is already registered", nameof(metric));
            metrics.Add(metric);
        }
    }

    /// <summary>Finds the metric named <paramref name="name"/>.</summary>
    public bool TryGet(string name, out IMetric metric)
    {
        lock (gate) metric = metrics.FirstOrDefault(m => m.Name == name)!;
        return metric != null;
    }

    /// <summary>The metric named <paramref name="name"/>; an unknown name is a <see cref="GanSharpException"/> listing the known ones.</summary>
    public IMetric Get(string name) => TryGet(name, out var m) ? m
        : throw new GanSharpException($"unknown metric '{name}'", $"known metrics: {string.Join(", ", Names)}");

    /// <summary>Resolves a comma-separated list such as <c>fid,pr</c> (blank entries ignored, duplicates kept once).</summary>
    public IReadOnlyList<IMetric> Resolve(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Select(Get).ToArray();
    }

    /// <summary>
    /// Computes <paramref name="metrics"/> on <paramref name="samples"/> and, when <paramref name="runFolder"/> is
    /// given, appends each result to its <c>metric-&lt;name&gt;.jsonl</c> there.
    /// </summary>
    public static IReadOnlyList<MetricResult> Evaluate(IEnumerable<IMetric> metrics, SampleSet samples, string? runFolder = null, long step = 0, string? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(samples);
        var results = new List<MetricResult>();
        foreach (var metric in metrics)
        {
            var result = metric.Compute(samples);
            if (runFolder != null) MetricLog.Append(runFolder, step, result, checkpoint);
            results.Add(result);
        }
        return results;
    }
}
