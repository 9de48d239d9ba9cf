using System.Text.Json;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// What an anomaly model checkpoint records so that <c>gansharp anomaly score</c> can rebuild its scorer: the method,
/// the networks' architecture config, the normal data and class, the image shape, the scorer's options and the
/// decision threshold (when one was computed). Written as the checkpoint manifest's architecture.
/// </summary>
/// <param name="Method">The detector name (<see cref="AnomalyDetectors"/>).</param>
/// <param name="Architecture">The networks' architecture config (method-specific JSON).</param>
/// <param name="Scorer">The scorer's options (method-specific JSON, e.g. AnoGAN's λ and search steps).</param>
/// <param name="Channels">Image channels.</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="NormalData">The data the model was trained on (a dataset spec or name).</param>
/// <param name="NormalClass">The class taken as normal, or null when the whole data set is normal.</param>
/// <param name="Threshold">Scores above it are called anomalous; null when none was computed.</param>
/// <param name="ThresholdPercentile">The percentile of held-out normal scores the threshold was taken at.</param>
/// <param name="ValidationCount">Held-out normal images the threshold was computed from.</param>
public sealed record AnomalyModelInfo(
    string Method,
    JsonElement Architecture,
    JsonElement Scorer,
    int Channels,
    int Height,
    int Width,
    string NormalData,
    int? NormalClass,
    double? Threshold,
    double? ThresholdPercentile,
    int ValidationCount)
{
    /// <summary>The image shape.</summary>
    public Models.ImageShape Image => new(Channels, Height, Width);
}
