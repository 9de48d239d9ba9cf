namespace GanSharp.Metrics;

/// <summary>
/// Rank metrics of anomaly scores against labels (anomaly = positive, higher score = more anomalous): AUROC with ties
/// counted as one half (the Mann–Whitney statistic with mid-ranks), average precision (AUPRC), the ROC curve, and a
/// threshold taken at a percentile of held-out normal scores. Pure functions over arrays, independent of the order of
/// the items.
/// </summary>
public static class AnomalyMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random anomaly scores higher than a random normal item, ties
    /// counting one half. 1 = perfect, 0.5 = chance (or all ties), 0 = inverted.
    /// </summary>
    /// <param name="scores">One score per item.</param>
    /// <param name="isAnomaly">One label per item; both classes must be present.</param>
    public static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        var (positives, negatives) = Check(scores, isAnomaly);
        var order = SortedAscending(scores);
        double rankSum = 0; // sum of the mid-ranks (1-based) of the anomalies
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            double midRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) if (isAnomaly[order[k]]) rankSum += midRank;
            start = end + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision Σ_k (R_k − R_{k−1})·P_k over the distinct score thresholds from high to low (tied scores form
    /// one threshold), the step-wise area under the precision–recall curve.
    /// </summary>
    /// <param name="scores">One score per item.</param>
    /// <param name="isAnomaly">One label per item; both classes must be present.</param>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        var (positives, _) = Check(scores, isAnomaly);
        double ap = 0, previousRecall = 0;
        long tp = 0, fp = 0;
        foreach (var (groupTp, groupFp, _) in TieGroupsDescending(scores, isAnomaly))
        {
            tp += groupTp;
            fp += groupFp;
            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>
    /// The ROC curve from (0, 0) to (1, 1): one point per distinct score, from the highest down (items scoring at
    /// least that much are called anomalous).
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        var (positives, negatives) = Check(scores, isAnomaly);
        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        long tp = 0, fp = 0;
        foreach (var (groupTp, groupFp, score) in TieGroupsDescending(scores, isAnomaly))
        {
            tp += groupTp;
            fp += groupFp;
            points.Add(new RocPoint((double)fp / negatives, (double)tp / positives, score));
        }
        return points;
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile of <paramref name="normalScores"/> (linear interpolation between
    /// order statistics, as numpy's default): with held-out normal scores, about (100 − p)% of normal items score above it.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> normalScores, double percentile)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        if (normalScores.Count == 0) throw new GanSharpException("threshold: no normal scores to take a percentile of");
        if (!(percentile >= 0 && percentile <= 100)) throw new GanSharpException($"threshold percentile {percentile}: must be in [0, 100]");
        if (normalScores.Any(s => !double.IsFinite(s))) throw new GanSharpException("threshold: a normal score is not finite");
        var sorted = normalScores.OrderBy(s => s).ToArray();
        double position = percentile / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(position), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Precision, recall, F1 and false-positive rate when every score above <paramref name="threshold"/> is called anomalous.</summary>
    public static ThresholdReport AtThreshold(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly, double threshold, double percentile = double.NaN)
    {
        var (positives, negatives) = Check(scores, isAnomaly);
        long tp = 0, fp = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            if (!(scores[i] > threshold)) continue;
            if (isAnomaly[i]) tp++; else fp++;
        }
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = (double)tp / positives;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ThresholdReport(threshold, percentile, precision, recall, f1, (double)fp / negatives);
    }

    static (long Positives, long Negatives) Check(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isAnomaly);
        if (scores.Count != isAnomaly.Count)
            throw new GanSharpException($"anomaly metrics: {scores.Count} scores but {isAnomaly.Count} labels");
        for (int i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i])) throw new GanSharpException($"anomaly metrics: score {i} is {scores[i]}", "the scorer produced a non-finite value");
        long positives = isAnomaly.Count(a => a);
        long negatives = isAnomaly.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new GanSharpException($"anomaly metrics need both normal and anomalous items (got {negatives} normal, {positives} anomalous)");
        return (positives, negatives);
    }

    static int[] SortedAscending(IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, scores.Count).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        return order;
    }

    /// <summary>Groups of equal scores from the highest down: anomalies and normal items in each, and the score.</summary>
    static IEnumerable<(long Tp, long Fp, double Score)> TieGroupsDescending(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        var order = SortedAscending(scores);
        for (int end = order.Length - 1; end >= 0;)
        {
            int start = end;
            while (start - 1 >= 0 && scores[order[start - 1]] == scores[order[end]]) start--;
            long tp = 0, fp = 0;
            for (int k = start; k <= end; k++) if (isAnomaly[order[k]]) tp++; else fp++;
            yield return (tp, fp, scores[order[end]]);
            end = start - 1;
        }
    }
}
