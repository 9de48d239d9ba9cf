using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>What an <see cref="IAnomalyScorer"/> returns for a batch.</summary>
/// <param name="Scores">One score per image <c>[N]</c>, float32; higher = more anomalous.</param>
/// <param name="Maps">Per-pixel anomaly maps <c>[N, 1, H, W]</c> (≥ 0), or null when not requested.</param>
public sealed record AnomalyScores(Tensor Scores, Tensor? Maps) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Scores.Dispose();
        Maps?.Dispose();
    }
}
