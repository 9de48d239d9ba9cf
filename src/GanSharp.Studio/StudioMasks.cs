using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Studio;

/// <summary>One brush stroke in image pixels: a polyline painted (or erased) with a round brush of diameter <see cref="Size"/>.</summary>
public sealed record StudioStroke(double Size, bool Erase, double[][] Points);

/// <summary>The body of an edit: the concept, insert or remove, and the region as a PNG (base64 or data URL) or as strokes.</summary>
public sealed record EditRequest(string? Concept, string? Action, string? Mask, StudioStroke[]? Strokes);

/// <summary>Turns an edit's mask (PNG or strokes) into the <c>[1, 1, H, W]</c> 0/1 tensor that <c>EditSession</c> takes.</summary>
public static class StudioMasks
{
    /// <summary>The mask of <paramref name="request"/> at <paramref name="height"/>×<paramref name="width"/>; refuses an empty or missing one.</summary>
    public static Tensor Read(EditRequest request, int height, int width, int maxSide)
    {
        byte[] bits;
        if (!string.IsNullOrEmpty(request.Mask)) bits = FromPng(request.Mask, height, width, maxSide);
        else if (request.Strokes is { Length: > 0 }) bits = FromStrokes(request.Strokes, height, width);
        else throw StudioProblem.BadRequest("the edit has no mask: give \"mask\" (a PNG, base64) or \"strokes\"");
        var values = new float[bits.Length];
        int painted = 0;
        for (int i = 0; i < bits.Length; i++) { values[i] = bits[i]; painted += bits[i]; }
        if (painted == 0) throw StudioProblem.BadRequest("the mask is empty (no painted pixel)", "paint the region to edit first");
        return tensor(values, new long[] { 1, 1, height, width }); // [1, 1, H, W]
    }

    /// <summary>A PNG mask (opaque or white = painted), any size up to <paramref name="maxSide"/>, resized to the image: a pixel is painted when any part of its cell is.</summary>
    static byte[] FromPng(string data, int height, int width, int maxSide)
    {
        int comma = data.StartsWith("data:", StringComparison.Ordinal) ? data.IndexOf(',') : -1;
        byte[] bytes;
        try { bytes = Convert.FromBase64String(comma >= 0 ? data[(comma + 1)..] : data); }
        catch (FormatException) { throw StudioProblem.BadRequest("\"mask\" is not base64 (send a PNG as base64 or a data: URL)"); }
        byte[] full;
        int h, w;
        try
        {
            full = MaskReader.DecodeBinary(bytes, "mask", new MaskOptions(Limits: new ImageLimits(maxSide, maxSide, (long)maxSide * maxSide, bytes.Length + 1)),
                out h, out w);
        }
        catch (GanSharpException e) { throw StudioProblem.BadRequest("\"mask\": " + e.Message); }
        if (h == height && w == width) return full;
        // Max-pool onto the image grid so that a thin stroke on a large canvas is never lost.
        var result = new byte[height * width];
        for (int y = 0; y < h; y++)
        {
            int ty = Math.Min(height - 1, (int)((long)y * height / h));
            for (int x = 0; x < w; x++)
                if (full[y * w + x] != 0) result[ty * width + Math.Min(width - 1, (int)((long)x * width / w))] = 1;
        }
        return result;
    }

    /// <summary>Rasterises strokes in order (erasing ones clear pixels): a pixel is painted when its centre is within the brush radius of the polyline.</summary>
    static byte[] FromStrokes(StudioStroke[] strokes, int height, int width)
    {
        if (strokes.Length > 1000) throw StudioProblem.BadRequest($"{strokes.Length} strokes; at most 1000");
        var bits = new byte[height * width];
        foreach (var s in strokes)
        {
            if (s is null || s.Points is null || s.Points.Length == 0) throw StudioProblem.BadRequest("a stroke has no points");
            if (s.Points.Length > 10_000) throw StudioProblem.BadRequest("a stroke has more than 10000 points");
            if (!(s.Size > 0) || s.Size > 4 * Math.Max(height, width)) throw StudioProblem.BadRequest($"stroke size {s.Size}: must be positive and at most 4× the image side");
            foreach (var p in s.Points)
                if (p is null || p.Length != 2 || !double.IsFinite(p[0]) || !double.IsFinite(p[1]))
                    throw StudioProblem.BadRequest("a stroke point must be [x, y] in image pixels");
            double r = Math.Max(0.5, s.Size / 2);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double cx = x + 0.5, cy = y + 0.5;
                    if (Near(s.Points, cx, cy, r)) bits[y * width + x] = (byte)(s.Erase ? 0 : 1);
                }
        }
        return bits;
    }

    static bool Near(double[][] points, double x, double y, double r)
    {
        double r2 = r * r;
        if (points.Length == 1) return Dist2(points[0][0], points[0][1], x, y) <= r2;
        for (int i = 1; i < points.Length; i++)
        {
            double ax = points[i - 1][0], ay = points[i - 1][1], bx = points[i][0], by = points[i][1];
            double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
            double t = len2 == 0 ? 0 : Math.Clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0, 1);
            if (Dist2(ax + t * dx, ay + t * dy, x, y) <= r2) return true;
        }
        return false;
    }

    static double Dist2(double ax, double ay, double bx, double by) => (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
}
