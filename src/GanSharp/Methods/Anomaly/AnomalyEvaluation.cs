using System.Globalization;
using GanSharp.Metrics;
using GanSharp.Reports;

namespace GanSharp.Methods.Anomaly;

/// <summary>Evaluation of anomaly scores against labels, and its report (table + ROC PNG).</summary>
public static class AnomalyEvaluation
{
    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>AUROC, AUPRC, the ROC curve and, when a threshold is given, precision/recall/F1 at it.</summary>
    public static AnomalyEvaluationResult Evaluate(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly, double? threshold, double? percentile)
    {
        var at = threshold is double t ? AnomalyMetrics.AtThreshold(scores, isAnomaly, t, percentile ?? double.NaN) : null;
        int anomalous = isAnomaly.Count(a => a);
        return new AnomalyEvaluationResult(AnomalyMetrics.Auroc(scores, isAnomaly), AnomalyMetrics.AveragePrecision(scores, isAnomaly),
            AnomalyMetrics.RocCurve(scores, isAnomaly), at, isAnomaly.Count - anomalous, anomalous);
    }

    /// <summary>The metrics as (name, value) rows.</summary>
    public static IEnumerable<(string, string)> Rows(AnomalyEvaluationResult r)
    {
        yield return ("AUROC", F(r.Auroc));
        yield return ("AUPRC (average precision)", F(r.Auprc));
        yield return ("normal / anomalous", $"{r.Normal} / {r.Anomalous}");
        if (r.AtThreshold is { } t)
        {
            yield return ($"threshold ({t.Percentile.ToString("0.#", CultureInfo.InvariantCulture)}th pct of held-out normal)", t.Threshold.ToString("0.######", CultureInfo.InvariantCulture));
            yield return ("precision", F(t.Precision));
            yield return ("recall", F(t.Recall));
            yield return ("F1", F(t.F1));
            yield return ("false positive rate", F(t.FalsePositiveRate));
        }
        else yield return ("threshold", "none recorded in the model");
    }

    /// <summary>Adds a section with the metric table and the ROC plot to <paramref name="report"/>.</summary>
    public static void WriteReport(HtmlReport report, AnomalyModelInfo info, string dataName, int normalClass, AnomalyEvaluationResult r, double imagesPerSecond)
    {
        report.Section($"{info.Method} on {dataName}", $"Normal class {normalClass}; every other class counts as anomalous. Model trained on {info.NormalData}. " +
            $"Scoring speed {imagesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} images/s.");
        AddTableAndRoc(report, info.Method, normalClass, r);
        report.EndSection();
    }

    /// <summary>
    /// Adds the metric table and the ROC plot (a PNG named <c>roc</c>) of <paramref name="r"/> to the current section of
    /// <paramref name="report"/>.
    /// </summary>
    public static void AddTableAndRoc(HtmlReport report, string method, int normalClass, AnomalyEvaluationResult r)
    {
        report.Table(new[] { "metric", "value" }, Rows(r).Select(p => (IReadOnlyList<string>)new[] { p.Item1, p.Item2 }));
        var (full, rel) = report.NewImagePath("roc");
        LinePlot.WritePng(full, new[] { new LineSeries($"{method} AUROC {F(r.Auroc)}", r.Roc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToList()) },
            LinePlotOptions.Roc($"ROC, normal class {normalClass}"));
        report.Image(rel, "ROC curve (dashed: chance)");
    }
}
