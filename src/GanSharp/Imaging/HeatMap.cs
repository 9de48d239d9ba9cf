using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>
/// Anomaly-map overlays: a per-pixel map is scaled to [0, 1], coloured with a perceptual blue → red "jet-like"
/// colour map and blended over the (gray or RGB) image. The result is RGB in [-1, 1], ready for
/// <see cref="SampleGrid"/> or <see cref="ImageWriter"/>.
/// </summary>
public static class HeatMap
{
    // Colour-map control points at 0, 0.25, 0.5, 0.75, 1: dark blue, cyan, green-yellow, orange, red.
    static readonly float[,] Stops =
    {
        { 0.05f, 0.05f, 0.55f }, { 0.0f, 0.75f, 0.95f }, { 0.55f, 0.95f, 0.25f }, { 1.0f, 0.6f, 0.0f }, { 0.85f, 0.05f, 0.05f },
    };

    /// <summary>Maps values <c>[N, 1, H, W]</c> in [0, 1] to colours <c>[N, 3, H, W]</c> in [0, 1] (piecewise linear).</summary>
    public static Tensor Colorize(Tensor unit)
    {
        CheckMaps(unit, "map");
        using var scope = NewDisposeScope();
        var t = unit.clamp(0, 1) * (Stops.GetLength(0) - 1); // [N, 1, H, W]
        var channels = new Tensor[3];
        for (int c = 0; c < 3; c++)
        {
            var value = zeros_like(t);
            for (int k = 0; k < Stops.GetLength(0) - 1; k++)
            {
                var w = (t - k).clamp(0, 1);          // progress through segment k
                value = value + w * (Stops[k + 1, c] - Stops[k, c]);
            }
            channels[c] = value + Stops[0, c];
        }
        return cat(channels, 1).MoveToOuterDisposeScope(); // [N, 3, H, W]
    }

    /// <summary>
    /// Scales maps <c>[N, 1, H, W]</c> to [0, 1] by dividing by <paramref name="max"/> (one scale for the whole batch, so
    /// that maps of different images are comparable); null uses the batch maximum.
    /// </summary>
    public static Tensor Normalize(Tensor maps, double? max = null)
    {
        CheckMaps(maps, "maps");
        double m = max ?? maps.max().item<float>();
        if (!double.IsFinite(m)) throw new GanSharpException("anomaly map has a non-finite value");
        return (maps / Math.Max(m, 1e-12)).clamp(0, 1);
    }

    /// <summary>
    /// Blends the coloured maps over the images: <c>(1 − α)·image + α·colour</c>, images <c>[N, C, H, W]</c> in [-1, 1]
    /// (C = 1 or 3), maps <c>[N, 1, H, W]</c> (≥ 0, scaled by <paramref name="max"/> or the batch maximum).
    /// </summary>
    /// <returns>RGB overlays <c>[N, 3, H, W]</c> in [-1, 1].</returns>
    public static Tensor Overlay(Tensor images, Tensor maps, double alpha = 0.5, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckMaps(maps, "maps");
        if (!(alpha >= 0 && alpha <= 1)) throw new GanSharpException($"heat-map alpha {alpha}: must be in [0, 1]");
        if (images.dim() != 4 || images.shape[0] != maps.shape[0] || images.shape[2] != maps.shape[2] || images.shape[3] != maps.shape[3])
            throw new GanSharpException($"heat map: images [{string.Join(", ", images.shape)}] and maps [{string.Join(", ", maps.shape)}] do not match");
        using var scope = NewDisposeScope();
        var rgb = images.shape[1] == 1 ? ColorOps.GrayToRgb(images) : images;      // [N, 3, H, W]
        var colour = Colorize(Normalize(maps, max));                                // [N, 3, H, W] in [0, 1]
        var blended = (1 - alpha) * ColorOps.ToUnitRange(rgb) + alpha * colour;
        return ColorOps.ToSignedRange(blended).MoveToOuterDisposeScope();
    }

    static void CheckMaps(Tensor maps, string what)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.dim() != 4 || maps.shape[1] != 1)
            throw new GanSharpException($"heat map: {what} must be [N, 1, H, W], got [{string.Join(", ", maps.shape)}]");
    }
}
