using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Metrics;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// The anomaly-detection protocol around any <see cref="IAnomalyDetector"/>: hold out a fraction of the normal images,
/// train on the rest (a run folder as <c>gansharp train gan</c> writes), score the held-out images, take the decision
/// threshold at a percentile of their scores, and save the model with everything <c>score</c> needs.
/// </summary>
public static class AnomalyPipeline
{
    /// <summary>Trains <paramref name="settings"/>.Method on <paramref name="normal"/>.</summary>
    /// <param name="normal">Normal images only (e.g. one Fashion-MNIST class of the train split).</param>
    /// <param name="settings">Settings (validated here).</param>
    /// <param name="runsRoot">Folder of run folders.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="normalData">The data spec, recorded in the model.</param>
    /// <param name="normalClass">The normal class, recorded in the model.</param>
    /// <param name="description">Run folder description.</param>
    /// <param name="tensorBoard">Whether the run logs TensorBoard events too.</param>
    /// <param name="progress">Training progress of every stage.</param>
    /// <param name="cancel">Cancellation.</param>
    public static AnomalyTrainResult Train(IImageDataset normal, AnomalyTrainSettings settings, string runsRoot, Device device,
        string? normalData = null, int? normalClass = null, string? description = null, bool tensorBoard = true,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(normal);
        var s = settings.Validate();
        var detector = AnomalyDetectors.Get(s.Method);
        int validationCount = Math.Max(1, (int)Math.Round(normal.Count * s.ValidationFraction));
        if (normal.Count - validationCount < s.BatchSize)
            throw new GanSharpException($"{normal.Name} has {normal.Count} normal images: {validationCount} are held out for the threshold, leaving fewer than one batch of {s.BatchSize}",
                "use a smaller --batch");
        var parts = normal.SplitCounts(new[] { normal.Count - validationCount, validationCount }, s.Seed ^ 0xA11CEUL);
        var train = parts[0];
        var validation = parts[1];
        var training = new TrainingOptions(Steps: s.Steps, BatchSize: s.BatchSize, Seed: s.Seed, LogEvery: 10,
            SampleEvery: 0, CheckpointEvery: 0, KeepCheckpoints: 1, SampleCount: 16, Prefetch: 1).Validate();
        var config = CheckpointWriter.ToJson(new { settings = s, data = normalData ?? normal.Name, normalClass, trainCount = train.Count, validationCount });
        using var run = RunFolder.Create(runsRoot, "anomaly-" + detector.Name, description ?? $"{detector.Name}-{normalData ?? normal.Name}", config, tensorBoard);
        var stages = Path.Combine(run.Path, "stages");
        var ctx = new AnomalyTrainContext(train, s, device, run, stage => RunFolder.Create(stages, stage, null, config, tensorBoard), training, progress, cancel);
        var trained = detector.Train(ctx);

        var validationScores = AnomalyScoring.ScoreAll(trained.Scorer, validation, Math.Min(64, s.BatchSize * 2), device, cancel: cancel);
        double threshold = AnomalyMetrics.Percentile(validationScores, s.ThresholdPercentile);
        var info = new AnomalyModelInfo(detector.Name, trained.Architecture, trained.ScorerOptions, normal.Channels, normal.Height, normal.Width,
            normalData ?? normal.Name, normalClass, threshold, s.ThresholdPercentile, validationCount);
        var modelPath = Path.Combine(run.Path, "model");
        AnomalyModel.Save(modelPath, info, trained.Modules, new { settings = s, data = normalData ?? normal.Name, normalClass }, trained.Stages.Sum(r => r.Step));
        return new AnomalyTrainResult(run.Path, modelPath, info, trained.Scorer, trained.Stages, validationScores);
    }
}
