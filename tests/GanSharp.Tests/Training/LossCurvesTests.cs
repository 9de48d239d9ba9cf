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
            Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
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
}
