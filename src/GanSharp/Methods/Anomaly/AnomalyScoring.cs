using GanSharp.Data;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>Scores whole data sets with an <see cref="IAnomalyScorer"/>, in data set order.</summary>
public static class AnomalyScoring
{
    /// <summary>
    /// The score of every image of <paramref name="data"/> (in order), computed in batches of <paramref name="batchSize"/>
    /// on <paramref name="device"/>. <paramref name="progress"/> receives the number of images scored so far.
    /// </summary>
    public static double[] ScoreAll(IAnomalyScorer scorer, IImageDataset data, int batchSize = 64, Device? device = null,
        IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new GanSharpException($"scoring batch size {batchSize}: must be at least 1");
        var shape = scorer.Input;
        if (data.Channels != shape.Channels || data.Height != shape.Height || data.Width != shape.Width)
            throw new GanSharpException($"{data.Name} holds {data.Channels}x{data.Height}x{data.Width} images but the {scorer.Method} model scores {shape}");
        var scores = new double[data.Count];
        using var loader = new DataLoader(data, new DataLoaderOptions(batchSize, Shuffle: false, Prefetch: 1), device);
        int done = 0;
        foreach (var batch in loader.ReadEpoch(cancel))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                using var result = scorer.Score(batch.Images);
                var values = result.Scores.to(float64).cpu().data<double>().ToArray();
                for (int i = 0; i < values.Length; i++) scores[batch.Indices[i]] = values[i];
                done += values.Length;
            }
            progress?.Report(done);
        }
        return scores;
    }

    /// <summary>Per-pixel residual map <c>|x − x̂|</c> averaged over channels: <c>[N, C, H, W]</c> → <c>[N, 1, H, W]</c>.</summary>
    public static Tensor ResidualMap(Tensor images, Tensor reconstructions) =>
        (images - reconstructions).abs().mean(new long[] { 1 }, keepdim: true);
}
