using GanSharp.Diagnostics;
using GanSharp.Metrics;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Metrics;

public class MetricRegistryTests
{
    static SampleSet Shifted(double shift, int n = 40)
    {
        var gen = new Generator(12);
        using var real = randn(new long[] { n, 6 }, dtype: float64, generator: gen);
        using var fake = randn(new long[] { n, 6 }, dtype: float64, generator: gen) + shift;
        return new SampleSet(real, fake);
    }

    [Fact]
    public void DefaultRegistryListsTheBuiltInMetricsAndNamesUnknownOnes()
    {
        var registry = MetricRegistry.CreateDefault();
        Assert.Equal(new[] { "fid", "pr", "dc" }, registry.Names);
        Assert.Equal(new[] { "fid", "pr" }, registry.Resolve(" fid, pr,fid ").Select(m => m.Name));
        var e = Assert.Throws<GanSharpException>(() => registry.Get("is"));
        Assert.Contains("fid, pr, dc", e.Hint);
        Assert.Throws<ArgumentException>(() => registry.Register(new FidMetric()));
    }

    [Fact]
    public void MetricsComputeOnASampleSetAndAppendJsonLines()
    {
        using var dir = new ScratchFolder("metrics");
        using var near = Shifted(0.1);
        using var far = Shifted(3);
        var metrics = MetricRegistry.CreateDefault().All;
        var first = MetricRegistry.Evaluate(metrics, near, dir.Path, step: 100, checkpoint: "checkpoints/step-100");
        var second = MetricRegistry.Evaluate(metrics, far, dir.Path, step: 200);
        Assert.True(second[0]["fid"] > first[0]["fid"]);
        Assert.True(second[1]["precision"] < first[1]["precision"]);
        Assert.True(second[2]["coverage"] < first[2]["coverage"]);

        var fid = MetricLog.Read(dir.Path, "fid");
        Assert.Equal(new long[] { 100, 200 }, fid.Select(e => e.Step));
        Assert.Equal(first[0]["fid"], fid[0].Values["fid"]);
        Assert.Equal(40, fid[0].SampleCount);
        Assert.Equal("checkpoints/step-100", fid[0].Checkpoint);
        Assert.Null(fid[1].Checkpoint);
        Assert.Equal(new[] { "precision", "recall" }, MetricLog.Read(dir.Path, "pr")[1].Values.Keys);
        Assert.True(File.Exists(Path.Combine(dir.Path, "metric-dc.jsonl")));
        Assert.Equal(2, File.ReadAllLines(MetricLog.PathFor(dir.Path, "fid")).Length);
    }

    [Fact]
    public void LogSurvivesALineCutShortAndKeepsNonFiniteValues()
    {
        using var dir = new ScratchFolder("metrics");
        string path = MetricLog.PathFor(dir.Path, "x");
        File.WriteAllText(path, "{\"step\":1,\"metric\":\"x\",\"results\":{\"x\":1}}\n{\"step\":2,\"metr");
        MetricLog.Append(dir.Path, 3, new MetricResult("x", new Dictionary<string, double> { ["x"] = double.NaN, ["y"] = double.PositiveInfinity }, 8, TimeSpan.Zero));
        var entries = MetricLog.Read(dir.Path, "x");
        Assert.Equal(new long[] { 1, 3 }, entries.Select(e => e.Step));
        Assert.True(double.IsNaN(entries[1].Values["x"]));
        Assert.True(double.IsPositiveInfinity(entries[1].Values["y"]));
        Assert.Empty(MetricLog.Read(dir.Path, "absent"));
    }

    [Fact]
    public void SampleSetsRequireEqualCounts()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new SampleSet(zeros(10, 4), zeros(11, 4)));
        Assert.Throws<ArgumentException>(() => new SampleSet(zeros(10, 4), zeros(10, 5)));
        Assert.Throws<GanSharpException>(() => new SampleSetOptions(Count: 2).Validate());
    }

    [Fact]
    public void CollectDrawsEqualCountsFromTheDatasetAndTheGenerator()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var data = FeatureNetworkTests.BundledFashion();
        manual_seed(3);
        var net = new FeatureNetwork(new FeatureNetworkConfig(1, 28, 10, Width: 4, FeatureDim: 8));
        var batches = new List<int>();
        var reports = new List<SampleSetProgress>();
        using var samples = SampleSet.Collect(net, data, n => { batches.Add(n); return rand(n, 1, 28, 28) * 4 - 2; },
            new SampleSetOptions(Count: 50, BatchSize: 16), new SyncProgress<SampleSetProgress>(reports.Add));
        Assert.Equal((50, 8), (samples.Count, samples.Dimension));
        Assert.Equal(new[] { 16, 16, 16, 2 }, batches);
        Assert.Equal(ScalarType.Float64, samples.Real.dtype);
        Assert.Equal(new SampleSetProgress("generated", 50, 50), reports[^1]);
        Assert.Equal(new SampleSetProgress("real", 50, 50), reports.Last(r => r.Phase == "real"));
        Assert.False(net.training);
        Assert.Throws<GanSharpException>(() => SampleSet.Collect(net, data, n => zeros(n, 1, 28, 28), new SampleSetOptions(Count: 65)));
    }
}
