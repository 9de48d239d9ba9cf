namespace GanSharp.Data;

/// <summary>How many images of one class a dataset holds.</summary>
/// <param name="Label">Class label (-1: unlabelled).</param>
/// <param name="Name">Class name, or <c>(unlabelled)</c>.</param>
/// <param name="Count">Images with this label.</param>
/// <param name="Fraction">Count divided by the dataset size.</param>
public sealed record ClassCount(int Label, string Name, int Count, double Fraction);

/// <summary>A summary of a dataset for display (e.g. <c>gansharp data show</c>).</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Count">Images.</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Classes">Count per label that occurs, by label (unlabelled first as -1).</param>
/// <param name="PixelsSampled">Images whose pixels entered the statistics below.</param>
/// <param name="ChannelMean">Mean pixel value per channel, in the dataset's [-1, 1] scale.</param>
/// <param name="ChannelStd">Population standard deviation per channel.</param>
/// <param name="Min">Smallest pixel value seen.</param>
/// <param name="Max">Largest pixel value seen.</param>
public sealed record DatasetStats(
    string Name, int Count, int Channels, int Height, int Width,
    IReadOnlyList<ClassCount> Classes, int PixelsSampled,
    IReadOnlyList<double> ChannelMean, IReadOnlyList<double> ChannelStd, double Min, double Max)
{
    /// <summary>
    /// Computes the statistics. Labels are counted over every item; pixel statistics use every item, or an evenly
    /// spaced sample of <paramref name="maxPixelSamples"/> items when given (deterministic, no randomness).
    /// </summary>
    public static DatasetStats Compute(IImageDataset dataset, int? maxPixelSamples = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (maxPixelSamples is < 0) throw new GanSharpException($"dataset stats: sample count {maxPixelSamples} must not be negative");
        var counts = new SortedDictionary<int, int>();
        for (int i = 0; i < dataset.Count; i++)
        {
            int label = dataset.LabelOf(i);
            counts[label] = counts.TryGetValue(label, out int c) ? c + 1 : 1;
        }
        var classes = counts.Select(kv => new ClassCount(kv.Key,
            kv.Key >= 0 && kv.Key < dataset.ClassNames.Count ? dataset.ClassNames[kv.Key] : kv.Key < 0 ? "(unlabelled)" : $"#{kv.Key}",
            kv.Value, dataset.Count == 0 ? 0 : (double)kv.Value / dataset.Count)).ToArray();

        int channels = dataset.Channels, plane = dataset.Height * dataset.Width;
        int samples = Math.Min(dataset.Count, maxPixelSamples ?? dataset.Count);
        var sum = new double[channels];
        var sumSq = new double[channels];
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var buffer = new float[channels * plane];
        for (int s = 0; s < samples; s++)
        {
            if ((s & 255) == 0) cancel.ThrowIfCancellationRequested();
            int index = (int)((long)s * dataset.Count / samples);
            dataset.CopyPixels(index, buffer);
            for (int c = 0; c < channels; c++)
            {
                double t = 0, t2 = 0;
                foreach (float v in buffer.AsSpan(c * plane, plane))
                {
                    t += v;
                    t2 += (double)v * v;
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
                sum[c] += t;
                sumSq[c] += t2;
            }
        }
        double n = (double)samples * plane;
        var mean = sum.Select(t => samples == 0 ? double.NaN : t / n).ToArray();
        var std = sumSq.Select((t2, c) => samples == 0 ? double.NaN : Math.Sqrt(Math.Max(0, t2 / n - mean[c] * mean[c]))).ToArray();
        return new DatasetStats(dataset.Name, dataset.Count, channels, dataset.Height, dataset.Width, classes, samples,
            mean, std, samples == 0 ? double.NaN : min, samples == 0 ? double.NaN : max);
    }
}
