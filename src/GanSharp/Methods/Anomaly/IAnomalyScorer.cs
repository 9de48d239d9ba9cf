using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// Scores images by how anomalous they are with respect to the normal data a model was trained on. Implementations
/// run their networks in eval mode and treat every image on its own, so a score does not depend on the batch size or
/// on the other images in the batch (up to float rounding).
/// </summary>
public interface IAnomalyScorer
{
    /// <summary>The method name (<c>anogan</c>, <c>ganomaly</c>, <c>fanogan</c>, <c>egbad</c>).</summary>
    string Method { get; }

    /// <summary>Shape of one input image.</summary>
    ImageShape Input { get; }

    /// <summary>
    /// Scores <paramref name="images"/> <c>[N, C, H, W]</c> in [-1, 1] (on the scorer's device): scores <c>[N]</c> and,
    /// with <paramref name="withMaps"/>, per-pixel maps <c>[N, 1, H, W]</c>.
    /// </summary>
    AnomalyScores Score(Tensor images, bool withMaps = false);
}
