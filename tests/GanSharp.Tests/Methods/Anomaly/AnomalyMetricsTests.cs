using GanSharp.Imaging;
using GanSharp.Metrics;
using GanSharp.Reports;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Anomaly;

public class AnomalyMetricsTests
{
    static readonly bool[] TwoAndTwo = { false, false, true, true };

    [Fact]
    public void AurocIsOneWhenPerfectZeroWhenInvertedAndHalfForTies()
    {
        Assert.Equal(1.0, AnomalyMetrics.Auroc(new[] { 0.1, 0.2, 0.8, 0.9 }, TwoAndTwo));
        Assert.Equal(0.0, AnomalyMetrics.Auroc(new[] { 0.9, 0.8, 0.2, 0.1 }, TwoAndTwo));
        Assert.Equal(0.5, AnomalyMetrics.Auroc(new[] { 3.0, 3.0, 3.0, 3.0 }, TwoAndTwo));
    }

    [Fact]
    public void AurocMatchesHandComputedPairCounts()
    {
        // Pairs (anomaly, normal): 0.35 beats 0.1 but not 0.4; 0.8 beats both → 3 of 4.
        Assert.Equal(0.75, AnomalyMetrics.Auroc(new[] { 0.1, 0.4, 0.35, 0.8 }, TwoAndTwo), 12);
        // With a tie: anomaly 2 vs normal 1 (1), vs normal 2 (½); anomaly 3 beats both → 3.5 / 4.
        Assert.Equal(0.875, AnomalyMetrics.Auroc(new[] { 1.0, 2.0, 2.0, 3.0 }, new[] { false, true, false, true }), 12);
        // Order does not matter.
        Assert.Equal(0.875, AnomalyMetrics.Auroc(new[] { 3.0, 2.0, 1.0, 2.0 }, new[] { true, false, false, true }), 12);
    }

    [Fact]
    public void AveragePrecisionMatchesHandComputedSteps()
    {
        // From the top: 0.8 (anomaly) R 0.5 P 1; 0.4 (normal) R stays; 0.35 (anomaly) R 1 P 2/3 → 0.5 + 0.5·2/3.
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, AnomalyMetrics.AveragePrecision(new[] { 0.1, 0.4, 0.35, 0.8 }, TwoAndTwo), 12);
        Assert.Equal(1.0, AnomalyMetrics.AveragePrecision(new[] { 0.1, 0.2, 0.8, 0.9 }, TwoAndTwo), 12);
        // All tied: one threshold, recall 1 at precision = prevalence.
        Assert.Equal(0.5, AnomalyMetrics.AveragePrecision(new[] { 1.0, 1.0, 1.0, 1.0 }, TwoAndTwo), 12);
    }

    [Fact]
    public void RocCurveHasOnePointPerDistinctScore()
    {
        var roc = AnomalyMetrics.RocCurve(new[] { 0.1, 0.4, 0.35, 0.8 }, TwoAndTwo);
        var expected = new[] { (0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0) };
        Assert.Equal(expected, roc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToArray());
        Assert.Equal(new[] { 0.8, 0.4, 0.35, 0.1 }, roc.Skip(1).Select(p => p.Threshold).ToArray());
        var tied = AnomalyMetrics.RocCurve(new[] { 2.0, 2.0, 2.0, 2.0 }, TwoAndTwo);
        Assert.Equal(2, tied.Count);
    }

    [Fact]
    public void ThresholdAtPercentileOfNormalScoresAndItsPrecisionRecall()
    {
        var normal = Enumerable.Range(1, 11).Select(i => (double)i).ToArray();
        // numpy.percentile(1..11, 95) = 10.5 (position 9.5 between 10 and 11).
        Assert.Equal(10.5, AnomalyMetrics.Percentile(normal, 95), 12);
        Assert.Equal(1.0, AnomalyMetrics.Percentile(normal, 0), 12);
        Assert.Equal(11.0, AnomalyMetrics.Percentile(normal, 100), 12);
        // Test set: normals 9, 11 and anomalies 10, 12, 13. Above 10.5: 11 (normal), 12, 13 → P 2/3, R 2/3, FPR 1/2.
        var r = AnomalyMetrics.AtThreshold(new[] { 9.0, 11, 10, 12, 13 }, new[] { false, false, true, true, true }, 10.5, 95);
        Assert.Equal((2.0 / 3, 2.0 / 3, 2.0 / 3, 0.5), (r.Precision, r.Recall, r.F1, r.FalsePositiveRate));
        Assert.Equal(95, r.Percentile);
        var none = AnomalyMetrics.AtThreshold(new[] { 1.0, 2.0 }, new[] { false, true }, 5);
        Assert.Equal((0.0, 0.0, 0.0), (none.Precision, none.Recall, none.F1));
        Assert.Throws<GanSharpException>(() => AnomalyMetrics.Percentile(normal, 101));
        Assert.Throws<GanSharpException>(() => AnomalyMetrics.Auroc(new[] { 1.0, 2.0 }, new[] { true, true }));
        Assert.Throws<GanSharpException>(() => AnomalyMetrics.Auroc(new[] { 1.0, double.NaN }, new[] { false, true }));
    }

    [Fact]
    public void RocPlotIsAPngOfTheRequestedSize()
    {
        using var dir = new ScratchFolder("roc");
        var roc = AnomalyMetrics.RocCurve(new[] { 0.1, 0.4, 0.35, 0.8 }, TwoAndTwo);
        var path = dir.Combine("roc.png");
        LinePlot.WritePng(path, new[] { new LineSeries("AUROC 0.75", roc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToList()) },
            LinePlotOptions.Roc("test") with { Width = 300, Height = 240 });
        var header = ImageReader.ReadHeader(path);
        Assert.Equal((300, 240), (header.Width, header.Height));
        Assert.Throws<GanSharpException>(() => LinePlot.EncodePng(new[] { new LineSeries("bad", new[] { (double.NaN, 0.0) }) }, LinePlotOptions.Roc()));
    }

    [Fact]
    public void HeatMapOverlayColoursHighValuesRedAndKeepsShape()
    {
        var images = zeros(2, 1, 4, 4) - 1;                       // black
        var maps = zeros(2, 1, 4, 4);
        maps[0, 0, 1, 2] = tensor(5f);                             // the batch maximum
        var overlay = HeatMap.Overlay(images, maps, alpha: 1.0);   // [2, 3, 4, 4]
        Assert.Equal(new long[] { 2, 3, 4, 4 }, overlay.shape);
        var hot = ColorOps.ToUnitRange(overlay[0, .., 1, 2]).data<float>().ToArray();
        var cold = ColorOps.ToUnitRange(overlay[1, .., 0, 0]).data<float>().ToArray();
        Assert.True(hot[0] > 0.8f && hot[2] < 0.1f, $"max should be red, got {string.Join(", ", hot)}");
        Assert.True(cold[2] > 0.5f && cold[0] < 0.1f, $"zero should be blue, got {string.Join(", ", cold)}");
        Assert.Throws<GanSharpException>(() => HeatMap.Overlay(images, zeros(2, 2, 4, 4)));
    }
}
