using System.Diagnostics;

namespace GanSharp.Metrics;

/// <summary>FID-style Fréchet distance on feature network features (<see cref="FrechetDistance"/>); lower is better.</summary>
public sealed class FidMetric : IMetric
{
    /// <inheritdoc />
    public string Name => "fid";

    /// <inheritdoc />
    public string Description => "FID-style Fréchet distance between real and generated features (lower is better; not comparable to Inception FID)";

    /// <inheritdoc />
    public MetricResult Compute(SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        double d2 = FrechetDistance.Compute(samples.Real, samples.Generated);
        return new MetricResult(Name, new Dictionary<string, double> { ["fid"] = d2 }, samples.Count, clock.Elapsed);
    }
}

/// <summary>Improved precision and recall (<see cref="PrecisionRecall"/>); higher is better.</summary>
/// <param name="k">Neighbour rank of the manifold radii.</param>
public sealed class PrecisionRecallMetric(int k = PrecisionRecall.DefaultK) : IMetric
{
    /// <inheritdoc />
    public string Name => "pr";

    /// <inheritdoc />
    public string Description => $"improved precision (fidelity) and recall (diversity), k = {k} (higher is better)";

    /// <inheritdoc />
    public MetricResult Compute(SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        var r = PrecisionRecall.Compute(samples.Real, samples.Generated, k);
        return new MetricResult(Name, new Dictionary<string, double> { ["precision"] = r.Precision, ["recall"] = r.Recall }, samples.Count, clock.Elapsed);
    }
}

/// <summary>Density and coverage (<see cref="DensityCoverage"/>); higher is better (density ≈ 1 when matched).</summary>
/// <param name="k">Neighbour rank of the real balls.</param>
public sealed class DensityCoverageMetric(int k = DensityCoverage.DefaultK) : IMetric
{
    /// <inheritdoc />
    public string Name => "dc";

    /// <inheritdoc />
    public string Description => $"density (fidelity, ≈ 1 when matched) and coverage (diversity), k = {k}";

    /// <inheritdoc />
    public MetricResult Compute(SampleSet samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        var r = DensityCoverage.Compute(samples.Real, samples.Generated, k);
        return new MetricResult(Name, new Dictionary<string, double> { ["density"] = r.Density, ["coverage"] = r.Coverage }, samples.Count, clock.Elapsed);
    }
}
