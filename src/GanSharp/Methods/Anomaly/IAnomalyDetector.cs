using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// One anomaly-detection method as a recipe: how to train it on normal images (through <see cref="Training.Trainer"/>,
/// one or more <see cref="Training.ITrainingMethod"/> stages) and how to rebuild its scorer from a saved model.
/// </summary>
public interface IAnomalyDetector
{
    /// <summary>The method name in CLI flags and model checkpoints.</summary>
    string Name { get; }

    /// <summary>The paper, for reports.</summary>
    string Paper { get; }

    /// <summary>Trains on <see cref="AnomalyTrainContext.Normal"/> and returns the scorer and what to save.</summary>
    AnomalyTrainedModel Train(AnomalyTrainContext context);

    /// <summary>Rebuilds the scorer of a saved model on <paramref name="device"/>.</summary>
    IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device);
}
