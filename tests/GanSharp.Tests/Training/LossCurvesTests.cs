using GanSharp.Reports;
using SkiaSharp;

namespace GanSharp.Tests.Training;

public class LossCurvesTests
{
    [Fact]
    public void ReadsEveryLossSeriesAndSkipsBookkeepingAndTornLines()
    {
        var dir = Directory.CreateTempSubdirectory("gansharp-curves-");
        try
        {
            var stats = Path.Combine(dir.FullName, "stats.jsonl");
            File.WriteAllLines(stats, new[]
            {
                """{"step":1,"time":5.0,"d_loss":1.5,"g_loss":0.5,"steps_per_s":3,"lr_factor":1}""",
                """{"step":2,"time":6.0,"d_loss":1.0,"g_loss":0.75,"event":"resume"}""",
                """{"step":3,"time":7.0,"d_loss":0.5}""",
                """{"step":4,"d_lo""",
            });
            var series = LossCurves.Read(stats);
            Assert.Equal(new[] { "d_loss", "g_loss" }, series.Select(s => s.Label));
            Assert.Equal(new[] { (1.0, 1.5), (2.0, 1.0), (3.0, 0.5) }, series[0].Points);
            Assert.Equal(2, series[1].Points.Count);
            Assert.Single(LossCurves.Read(stats, new[] { "g_loss" }));

            var png = Path.Combine(dir.FullName, "curves.png");
            Assert.True(LossCurves.WritePng(stats, png, "test"));
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal((2 * LossCurves.PanelWidth, LossCurves.PanelHeight), (bitmap.Width, bitmap.Height)); // d_* and g_* side by side
            Assert.False(LossCurves.WritePng(stats, Path.Combine(dir.FullName, "none.png"), keys: new[] { "missing" }));
            Assert.False(File.Exists(Path.Combine(dir.FullName, "none.png")));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void MovingAverageIsCentredAndKeepsTheSteps()
    {
        var s = new LineSeries("x", new[] { (0.0, 0.0), (1.0, 3.0), (2.0, 6.0), (3.0, 9.0) });
        var m = LossCurves.Smooth(s, 3);
        Assert.Equal(new[] { 0.0, 1.0, 2.0, 3.0 }, m.Points.Select(p => p.X));
        Assert.Equal(new[] { 1.5, 3.0, 6.0, 7.5 }, m.Points.Select(p => p.Y));
        Assert.Same(s, LossCurves.Smooth(s, 1));
    }

    [Fact]
    public void ScalarsOfOneFamilyShareAPanel()
    {
        Assert.Equal("d_*", LossCurves.Family("d_loss"));
        Assert.Equal("g_*", LossCurves.Family("g_adv_ab"));
        Assert.Equal("r1", LossCurves.Family("r1"));
        Assert.Equal("_x", LossCurves.Family("_x"));
        var series = new[] { "d_loss", "g_loss", "d_real", "cycle_a", "fid" }.Select(k => Line(k, i => 1 + i % 3)).ToArray();
        var panels = LossCurves.Panels(series, "run");
        Assert.Equal(new[] { "run: d_*", "run: g_*", "run: cycle_*", "run: fid" }, panels.Select(p => p.Options.Title));
        Assert.Equal(new[] { "d_loss", "d_real" }, panels[0].Series.Select(s => s.Label));
    }

    [Fact]
    public void LossesThatSpanDecadesGetALogAxis()
    {
        var falling = Line("g_loss", i => 100 * Math.Pow(0.9, i));          // 100 → 0.003: five decades
        var narrow = Line("d_loss", i => 1 + 0.1 * Math.Sin(i));
        var signed = Line("w_dist", i => 100 * Math.Pow(0.9, i) - 0.5);     // spans decades but crosses 0
        var panels = LossCurves.Panels(new[] { falling, narrow, signed }, null);
        Assert.True(panels[0].Options.LogY);
        Assert.True(panels[0].Options.YMin > 0 && panels[0].Options.YMax / panels[0].Options.YMin > 1e3);
        Assert.False(panels[1].Options.LogY);
        Assert.False(panels[2].Options.LogY);
        using var dir = new GanSharp.Tests.IO.ScratchFolder("curves-log");
        var png = dir.Combine("curves.png");
        File.WriteAllBytes(png, LinePlot.EncodePng(panels, 2));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((2 * LossCurves.PanelWidth, 2 * LossCurves.PanelHeight), (bitmap.Width, bitmap.Height)); // three panels, two to a row
    }

    static LineSeries Line(string label, Func<int, double> y) => new(label, Enumerable.Range(0, 100).Select(i => ((double)i, y(i))).ToArray());
}
