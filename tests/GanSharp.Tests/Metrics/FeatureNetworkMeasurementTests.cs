using GanSharp.Diagnostics;
using System.Diagnostics;
using GanSharp.Data;
using GanSharp.Metrics;
using GanSharp.Platform;
using Xunit.Abstractions;

namespace GanSharp.Tests.Metrics;

/// <summary>
/// Trains the default feature network on the installed Fashion-MNIST and reports its test accuracy and time.
/// Minutes of CPU: runs only when GANSHARP_SLOW_TESTS=1 (GANSHARP_FEATURE_EPOCHS, GANSHARP_FEATURE_IMAGES and
/// GANSHARP_FEATURE_WIDTH override the epochs, the training subset and the width).
/// </summary>
public class FeatureNetworkMeasurementTests(ITestOutputHelper output)
{
    [EnvFact("GANSHARP_SLOW_TESTS", "minutes of CPU training")]
    public void DefaultNetworkReachesUsefulAccuracyOnFashionMnist()
    {
        Assert.True(FashionMnist.IsAvailable(), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        TorchRuntime.EnsureInitialized();
        static int? Env(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : null;
        var options = new FeatureNetworkTrainingOptions(
            Epochs: Env("GANSHARP_FEATURE_EPOCHS") ?? 3,
            Width: Env("GANSHARP_FEATURE_WIDTH") ?? 16,
            MaxTrainImages: Env("GANSHARP_FEATURE_IMAGES"));
        var train = FashionMnist.Load(new FashionMnistOptions(Split: DatasetSplit.Train));
        var test = FashionMnist.Load(new FashionMnistOptions(Split: DatasetSplit.Test));
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var progress = new SyncProgress<FeatureNetworkProgress>(p =>
        {
            if (clock.Elapsed - lastReport < TimeSpan.FromSeconds(20)) return;
            lastReport = clock.Elapsed;
            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0}s epoch {p.Epoch + 1}/{p.Epochs} batch {p.Batch + 1}/{p.BatchesPerEpoch} loss {p.Loss:0.000}");
        });
        var result = FeatureNetworkTrainer.Train(train, test, options, progress);
        output.WriteLine($"{options}: test accuracy {result.ValidationAccuracy:0.0000}, final loss {result.FinalLoss:0.000}, " +
                         $"time {result.Elapsed.TotalSeconds:0} s on {Environment.ProcessorCount} cores");
        Assert.True(result.ValidationAccuracy > 0.85, $"accuracy {result.ValidationAccuracy}");
    }
}
