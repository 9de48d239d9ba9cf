using System.Globalization;
using GanSharp.Imaging;
using GanSharp.IO;
using SkiaSharp;

namespace GanSharp.Reports;

/// <summary>
/// A small line chart drawn with SkiaSharp (axes with five ticks, one colour per series, a legend), written as PNG
/// atomically. Enough for ROC curves and loss curves in reports; not a plotting library.
/// </summary>
public static class LinePlot
{
    static readonly SKColor[] Palette =
    {
        new(31, 119, 180), new(214, 39, 40), new(44, 160, 44), new(255, 127, 14),
        new(148, 103, 189), new(140, 86, 75), new(227, 119, 194), new(23, 190, 207),
    };

    /// <summary>Draws <paramref name="series"/> and writes the PNG to <paramref name="path"/>.</summary>
    public static void WritePng(string path, IReadOnlyList<LineSeries> series, LinePlotOptions options) =>
        AtomicFile.WriteAllBytes(path, EncodePng(series, options));

    /// <summary>Draws <paramref name="series"/> and returns the PNG bytes.</summary>
    public static byte[] EncodePng(IReadOnlyList<LineSeries> series, LinePlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        var o = options.Validate();
        foreach (var s in series)
            if (s.Points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y)))
                throw new GanSharpException($"plot series '{s.Label}' has a non-finite point");
        using var bitmap = new SKBitmap(new SKImageInfo(o.Width, o.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            var typeface = CaptionFont.Typeface ?? SKTypeface.Default;
            using var text = new SKPaint { Typeface = typeface, TextSize = 12, Color = SKColors.Black, IsAntialias = true };
            using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsStroke = true, IsAntialias = true };
            using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsStroke = true };
            float left = 52, right = o.Width - 12, top = o.Title != null ? 30 : 12, bottom = o.Height - 40;
            float X(double x) => left + (float)((x - o.XMin) / (o.XMax - o.XMin)) * (right - left);
            float Y(double y) => bottom - (float)((y - o.YMin) / (o.YMax - o.YMin)) * (bottom - top);

            for (int i = 0; i <= 4; i++)
            {
                double xv = o.XMin + i * (o.XMax - o.XMin) / 4, yv = o.YMin + i * (o.YMax - o.YMin) / 4;
                canvas.DrawLine(X(xv), top, X(xv), bottom, grid);
                canvas.DrawLine(left, Y(yv), right, Y(yv), grid);
                string xs = xv.ToString("0.##", CultureInfo.InvariantCulture), ys = yv.ToString("0.##", CultureInfo.InvariantCulture);
                canvas.DrawText(xs, X(xv) - text.MeasureText(xs) / 2, bottom + 15, text);
                canvas.DrawText(ys, left - 6 - text.MeasureText(ys), Y(yv) + 4, text);
            }
            canvas.DrawRect(new SKRect(left, top, right, bottom), axis);
            canvas.DrawText(o.XLabel, (left + right - text.MeasureText(o.XLabel)) / 2, o.Height - 8, text);
            canvas.Save();
            canvas.RotateDegrees(-90);
            canvas.DrawText(o.YLabel, -(top + bottom + text.MeasureText(o.YLabel)) / 2, 14, text);
            canvas.Restore();
            if (o.Title != null)
            {
                using var title = new SKPaint { Typeface = typeface, TextSize = 14, Color = SKColors.Black, IsAntialias = true };
                canvas.DrawText(o.Title, Math.Max(4, (o.Width - title.MeasureText(o.Title)) / 2), 20, title);
            }
            if (o.Diagonal)
            {
                using var dash = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsStroke = true, IsAntialias = true, PathEffect = SKPathEffect.CreateDash(new[] { 5f, 4f }, 0) };
                canvas.DrawLine(X(Math.Max(o.XMin, o.YMin)), Y(Math.Max(o.XMin, o.YMin)), X(Math.Min(o.XMax, o.YMax)), Y(Math.Min(o.XMax, o.YMax)), dash);
            }

            canvas.Save();
            canvas.ClipRect(new SKRect(left, top, right, bottom));
            for (int s = 0; s < series.Count; s++)
            {
                var pts = series[s].Points;
                if (pts.Count == 0) continue;
                using var line = new SKPaint { Color = Palette[s % Palette.Length], StrokeWidth = 2, IsStroke = true, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
                using var path = new SKPath();
                path.MoveTo(X(pts[0].X), Y(pts[0].Y));
                for (int i = 1; i < pts.Count; i++) path.LineTo(X(pts[i].X), Y(pts[i].Y));
                canvas.DrawPath(path, line);
            }
            canvas.Restore();

            // Legend, bottom right inside the axes (where ROC curves leave room).
            float ly = bottom - 8 - 16 * (series.Count - 1);
            foreach (var (s, i) in series.Select((s, i) => (s, i)))
            {
                using var swatch = new SKPaint { Color = Palette[i % Palette.Length], StrokeWidth = 3, IsStroke = true };
                float width = text.MeasureText(s.Label);
                float lx = right - 8 - width - 24;
                canvas.DrawLine(lx, ly + i * 16 - 4, lx + 18, ly + i * 16 - 4, swatch);
                canvas.DrawText(s.Label, lx + 24, ly + i * 16, text);
            }
        }
        return ImageWriter.Encode(bitmap, "line plot");
    }
}
