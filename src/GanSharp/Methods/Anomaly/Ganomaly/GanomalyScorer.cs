using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>
/// GANomaly scoring: ‖G_E(x) − E(G(x))‖²/Z per image (<see cref="GanomalyLosses.Score"/>), raw (min–max scaling is
/// an evaluation-time step over a test set, not part of a per-image score); the map is |x − x̂|. The generator runs
/// in eval mode, so BatchNorm uses its running statistics and a score does not depend on the batch.
/// </summary>
public sealed class GanomalyScorer : IAnomalyScorer
{
    readonly GanomalyGenerator g;

    /// <summary>Scores with <paramref name="generator"/>.</summary>
    public GanomalyScorer(GanomalyGenerator generator) => g = generator;

    /// <inheritdoc />
    public string Method => "ganomaly";

    /// <inheritdoc />
    public ImageShape Input => g.Image;

    /// <inheritdoc />
    public AnomalyScores Score(Tensor images, bool withMaps = false)
    {
        g.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (z, xhat, zhat) = g.Run(images);
        var scores = GanomalyLosses.Score(z, zhat).MoveToOuterDisposeScope(); // [N]
        var maps = withMaps ? AnomalyScoring.ResidualMap(images, xhat).MoveToOuterDisposeScope() : null; // [N, 1, H, W]
        return new AnomalyScores(scores, maps);
    }
}
