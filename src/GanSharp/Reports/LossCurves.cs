using System.Text.Json;
using GanSharp.IO;

namespace GanSharp.Reports;

/// <summary>
/// Loss curves of a training run: the scalars of its <c>stats.jsonl</c> against the step, smoothed with a centred moving
/// average, drawn with <see cref="LinePlot"/> in one panel per family of scalars. Bookkeeping keys (time, speed,
/// learning-rate factor, events) are left out.
/// </summary>
public static class LossCurves
{
    static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "step", "time", "steps_per_s", "lr_factor", "event" };

    /// <summary>
    /// Reads every numeric scalar of <paramref name="statsPath"/> as one series (x = step), optionally only
    /// <paramref name="keys"/>; lines that are not JSON objects (a torn last line) are skipped.
    /// </summary>
    public static IReadOnlyList<LineSeries> Read(string statsPath, IReadOnlyCollection<string>? keys = null)
    {
        if (!File.Exists(statsPath)) throw new GanSharpException($"{statsPath}: no such stats file");
        var points = new Dictionary<string, List<(double X, double Y)>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in File.ReadLines(statsPath))
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException) { continue; }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("step", out var stepEl) || !stepEl.TryGetDouble(out double step)) continue;
                foreach (var p in root.EnumerateObject())
                {
                    if (Skipped.Contains(p.Name) || (keys != null && !keys.Contains(p.Name))) continue;
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out double v) || !double.IsFinite(v)) continue;
                    if (!points.TryGetValue(p.Name, out var list)) { points[p.Name] = list = new(); order.Add(p.Name); }
                    list.Add((step, v));
                }
            }
        }
        return order.Select(k => new LineSeries(k, points[k])).ToArray();
    }

    /// <summary>Centred moving average over <paramref name="window"/> points (1: unchanged).</summary>
    public static LineSeries Smooth(LineSeries series, int window)
    {
        if (window <= 1 || series.Points.Count < 3) return series;
        var p = series.Points;
        int half = window / 2;
        var outPoints = new (double X, double Y)[p.Count];
        for (int i = 0; i < p.Count; i++)
        {
            int a = Math.Max(0, i - half), b = Math.Min(p.Count - 1, i + half);
            double sum = 0;
            for (int j = a; j <= b; j++) sum += p[j].Y;
            outPoints[i] = (p[i].X, sum / (b - a + 1));
        }
        return series with { Points = outPoints };
    }

    /// <summary>
    /// Writes the loss curves of <paramref name="statsPath"/> to <paramref name="pngPath"/> (atomically): one panel per
    /// family of scalars (<see cref="Family"/>), each curve smoothed over about 1/50 of its points with the raw values
    /// faint behind it; a panel's y range covers the 1st–99th percentile of its smoothed values so that early spikes do
    /// not flatten the rest, on a log axis when those values are positive and span two decades or more. Returns false
    /// (and writes nothing) when the stats hold fewer than two points.
    /// </summary>
    public static bool WritePng(string statsPath, string pngPath, string? title = null, IReadOnlyCollection<string>? keys = null)
    {
        var raw = Read(statsPath, keys).Where(s => s.Points.Count >= 2).ToArray();
        if (raw.Length == 0) return false;
        var panels = Panels(raw, title);
        AtomicFile.WriteAllBytes(pngPath, LinePlot.EncodePng(panels, Math.Min(2, panels.Count)));
        return true;
    }

    /// <summary>The panel a scalar is drawn in: its name up to the first underscore (<c>d_loss</c>, <c>d_real</c> → <c>d_*</c>), or the whole name.</summary>
    public static string Family(string key) => key.IndexOf('_') is > 0 and var i ? key[..(i + 1)] + "*" : key;

    /// <summary>Width and height in pixels of one panel of the loss-curve figure.</summary>
    public const int PanelWidth = 480, PanelHeight = 320;

    internal static IReadOnlyList<LinePanel> Panels(IReadOnlyList<LineSeries> raw, string? title) =>
        raw.GroupBy(s => Family(s.Label)).Select(family =>
        {
            var series = family.ToArray();
            var smoothed = series.Select(s => Smooth(s, Math.Max(1, s.Points.Count / 50))).ToArray();
            var ys = smoothed.SelectMany(s => s.Points.Select(q => q.Y)).Order().ToArray();
            double lo = ys[(int)(0.01 * (ys.Length - 1))], hi = ys[(int)Math.Ceiling(0.99 * (ys.Length - 1))];
            bool log = series.All(s => s.Points.All(q => q.Y > 0)) && hi >= 100 * lo;
            if (log) (lo, hi) = (lo / 1.25, hi * 1.25);
            else
            {
                if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
                double pad = 0.05 * (hi - lo);
                (lo, hi) = (lo - pad, hi + pad);
            }
            double x0 = series.Min(s => s.Points[0].X), x1 = series.Max(s => s.Points[^1].X);
            if (!(x1 > x0)) x1 = x0 + 1;
            var options = new LinePlotOptions(title == null ? family.Key : $"{title}: {family.Key}", "step",
                log ? "loss (log scale)" : "loss", x0, x1, lo, hi, Width: PanelWidth, Height: PanelHeight, LogY: log);
            return new LinePanel(smoothed, options, series, LegendAtTop: true);
        }).ToArray();
}
