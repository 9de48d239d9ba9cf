using System.Globalization;
using GanSharp.Imaging;
using GanSharp.IO;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace GanSharp.Reports;

/// <summary>One panel of a multi-panel figure: its curves, their unsmoothed originals (drawn faint, no legend entry), its axes.</summary>
/// <param name="Series">The curves, one colour each, in the legend.</param>
/// <param name="Options">Title, labels, ranges, log y axis and the panel's size in pixels.</param>
/// <param name="Raw">The unsmoothed series behind <paramref name="Series"/>, index for index (same colour, translucent); null for none.</param>
/// <param name="LegendAtTop">The legend in the upper right corner (where falling loss curves leave room) instead of the lower right (ROC curves).</param>
internal sealed record LinePanel(IReadOnlyList<LineSeries> Series, LinePlotOptions Options, IReadOnlyList<LineSeries>? Raw = null, bool LegendAtTop = false);

/// <summary>
/// Line charts drawn with ScottPlot 5 (ROC curves, loss curves): one colour per series, a legend, optional log y axis
/// and chance diagonal, several panels side by side; written as PNG atomically.
/// </summary>
public static class LinePlot
{
    const string FontName = "GanSharp Caption";

    static readonly Lazy<string?> Font = new(() =>
    {
        // SkiaSharp's NoDependencies build has no fontconfig: give ScottPlot the caption font's file by name.
        if (CaptionFont.Source is not { } path || !File.Exists(path)) return null;
        Fonts.AddFontFile(FontName, path);
        return FontName;
    });

    static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Draws <paramref name="series"/> and writes the PNG to <paramref name="path"/>.</summary>
    public static void WritePng(string path, IReadOnlyList<LineSeries> series, LinePlotOptions options) =>
        AtomicFile.WriteAllBytes(path, EncodePng(series, options));

    /// <summary>Draws <paramref name="series"/> and returns the PNG bytes.</summary>
    public static byte[] EncodePng(IReadOnlyList<LineSeries> series, LinePlotOptions options) =>
        EncodePng(new[] { new LinePanel(series, options) }, columns: 1);

    /// <summary>Draws <paramref name="panels"/> row by row, <paramref name="columns"/> to a row, and returns the PNG bytes.</summary>
    internal static byte[] EncodePng(IReadOnlyList<LinePanel> panels, int columns)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0 || columns < 1) throw new ArgumentException("a figure needs at least one panel and one column", nameof(panels));
        foreach (var p in panels) Check(p);
        int rows = (panels.Count + columns - 1) / columns, cols = Math.Min(columns, panels.Count);
        int cellWidth = panels.Max(p => p.Options.Width), cellHeight = panels.Max(p => p.Options.Height);
        using var bitmap = new SKBitmap(new SKImageInfo(cols * cellWidth, rows * cellHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < panels.Count; i++)
            {
                // Each panel on its own surface: a plot's render clears the whole canvas it is given.
                var o = panels[i].Options;
                using var cell = new SKBitmap(new SKImageInfo(o.Width, o.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
                using (var cellCanvas = new SKCanvas(cell)) Chart(panels[i]).Render(cellCanvas, o.Width, o.Height);
                using var image = SKImage.FromBitmap(cell);
                canvas.DrawImage(image, i % cols * cellWidth, i / cols * cellHeight);
            }
        }
        return ImageWriter.Encode(bitmap, "line plot");
    }

    static void Check(LinePanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel.Series);
        var o = panel.Options.Validate();
        foreach (var s in panel.Series.Concat(panel.Raw ?? Array.Empty<LineSeries>()))
        {
            if (s.Points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y)))
                throw new GanSharpException($"plot series '{s.Label}' has a non-finite point");
            if (o.LogY && s.Points.Any(p => p.Y <= 0))
                throw new GanSharpException($"plot series '{s.Label}' has a value ≤ 0, which a log axis cannot show");
        }
    }

    static Plot Chart(LinePanel panel)
    {
        var o = panel.Options;
        double Y(double y) => o.LogY ? Math.Log10(y) : y;
        var plot = new Plot();
        if (Font.Value is { } font) plot.Font.Set(font);
        if (o.Title != null) plot.Title(o.Title, size: 14);
        plot.XLabel(o.XLabel, size: 12);
        plot.YLabel(o.YLabel, size: 12);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("G5", CultureInfo.InvariantCulture) };
        plot.Axes.Left.TickGenerator = o.LogY
            ? new NumericAutomatic
            {
                MinorTickGenerator = new LogMinorTickGenerator(), IntegerTicksOnly = true,
                LabelFormatter = v => Math.Pow(10, Math.Round(v)).ToString("G3", CultureInfo.InvariantCulture),
            }
            : new NumericAutomatic { LabelFormatter = v => v.ToString("G5", CultureInfo.InvariantCulture) };
        if (o.Diagonal)
        {
            double a = Math.Max(o.XMin, o.YMin), b = Math.Min(o.XMax, o.YMax);
            var chance = plot.Add.Line(a, Y(a), b, Y(b));
            chance.LineColor = Colors.Gray;
            chance.LinePattern = LinePattern.Dashed;
            chance.LineWidth = 1;
        }
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var colour = Palette.GetColor(i);
            if (panel.Raw is { } raw && i < raw.Count && !ReferenceEquals(raw[i], panel.Series[i]) && raw[i].Points.Count > 0)
                Add(plot, raw[i], colour.WithAlpha(0.25), 1, null, Y);
            if (panel.Series[i].Points.Count > 0)
                Add(plot, panel.Series[i], colour, 2, panel.Series[i].Label, Y);
        }
        plot.Axes.SetLimits(o.XMin, o.XMax, Y(o.YMin), Y(o.YMax));
        if (panel.Series.Count > 0) plot.ShowLegend(panel.LegendAtTop ? Alignment.UpperRight : Alignment.LowerRight);
        return plot;
    }

    static void Add(Plot plot, LineSeries s, Color colour, float width, string? legend, Func<double, double> y)
    {
        var line = plot.Add.ScatterLine(s.Points.Select(p => p.X).ToArray(), s.Points.Select(p => y(p.Y)).ToArray(), colour);
        line.LineWidth = width;
        if (legend != null) line.LegendText = legend;
    }
}
