using System.Diagnostics;
using GanSharp.Methods.Anomaly;
using GanSharp.Metrics;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Anomaly;

public class AnomalyMethodTests(ITestOutputHelper output)
{
    internal static AnomalyTrainSettings Tiny(string method) => new(method, Steps: method == "fanogan" ? 60 : 40,
        BatchSize: 8, Seed: 5, Width: 4, Latent: 8, EncoderSteps: 30, SearchSteps: 20, LearningRate: 2e-3);

    /// <summary>Trains every registered method on horizontal stripes, saves, reloads, and separates vertical stripes.</summary>
    /// <summary>Every detector in the registry: a method added there is tested here without editing this file.</summary>
    public static TheoryData<string> Registered => new(AnomalyDetectors.Names);

    [Theory]
    [MemberData(nameof(Registered))]
    public void EveryMethodTrainsSavesLoadsAndSeparatesTheSyntheticAnomaly(string method)
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("anomaly-" + method);
        var sw = Stopwatch.StartNew();
        var result = AnomalyPipeline.Train(new Stripes(40, vertical: false), Tiny(method), dir.Path, CPU, "stripes", tensorBoard: false);
        double trainSeconds = sw.Elapsed.TotalSeconds;
        var (test, labels) = Stripes.TestSet(12);
        var scores = AnomalyScoring.ScoreAll(result.Scorer, test, batchSize: 24);
        double auroc = AnomalyMetrics.Auroc(scores, labels);
        output.WriteLine($"{method}: AUROC {auroc:0.000}, train {trainSeconds:0.0} s, total {sw.Elapsed.TotalSeconds:0.0} s, threshold {result.Info.Threshold:0.####}");
        Assert.True(auroc > 0.95, $"{method}: AUROC {auroc:0.000}");
        Assert.Equal(method, result.Info.Method);
        Assert.NotNull(result.Info.Threshold);
        Assert.Equal(new GanSharp.Models.ImageShape(1, 28, 28), result.Info.Image);

        // The saved model rebuilds a scorer that gives the same scores.
        var opened = AnomalyModel.Open(result.RunFolder);
        Assert.Equal(result.Info.Threshold, opened.Info.Threshold);
        var reloaded = AnomalyScoring.ScoreAll(opened.CreateScorer(CPU), test, batchSize: 24);
        for (int i = 0; i < scores.Length; i++) Assert.Equal(scores[i], reloaded[i], 1e-4 * Math.Max(1, Math.Abs(scores[i])));
    }
}
