using GanSharp.Data;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Metrics;

/// <summary>Options of <see cref="SampleSet.Collect(FeatureNetwork, IImageDataset, Func{int, Tensor}, SampleSetOptions?, IProgress{SampleSetProgress}?, CancellationToken, Device?)"/>.</summary>
/// <param name="Count">N, the number of real and of generated images. Every metric here depends on N (FID is biased
/// upwards at small N, k-NN radii shrink as N grows): compare values only at equal N.</param>
/// <param name="BatchSize">Images per feature-network batch (and per call of the generator callback).</param>
/// <param name="Seed">Seed of the random subset of real images (without replacement).</param>
public sealed record SampleSetOptions(int Count = 1000, int BatchSize = 100, ulong Seed = 0)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public SampleSetOptions Validate()
    {
        if (Count < 4) throw new GanSharpException($"metric sample count {Count}: must be at least 4 (k-NN metrics use k = 3)");
        if (BatchSize < 1) throw new GanSharpException($"metric batch size {BatchSize}: must be at least 1");
        return this;
    }
}

/// <summary>Progress of feature extraction: <paramref name="Done"/> of <paramref name="Total"/> images of <paramref name="Phase"/> (<c>real</c> or <c>generated</c>).</summary>
public readonly record struct SampleSetProgress(string Phase, int Done, int Total);

/// <summary>
/// Feature sets of N real and N generated images in one feature space (a <see cref="FeatureNetwork"/>), float64 on
/// the CPU: the input of every <see cref="IMetric"/>. Both sets always have the same N; metrics are only
/// comparable between sample sets of equal N computed with the same feature network.
/// </summary>
public sealed class SampleSet : IDisposable
{
    /// <summary>Wraps two feature sets of equal size and dimension (copied as float64 on the CPU; the caller keeps its tensors).</summary>
    /// <param name="real">// [N, D]</param>
    /// <param name="generated">// [N, D]</param>
    public SampleSet(Tensor real, Tensor generated)
    {
        NearestNeighbours.CheckSet(real, nameof(real));
        NearestNeighbours.CheckSet(generated, nameof(generated));
        if (real.shape[0] != generated.shape[0])
            throw new ArgumentException($"real and generated sets must have the same N (metrics are only comparable at equal N): {real.shape[0]} vs {generated.shape[0]}");
        if (real.shape[1] != generated.shape[1])
            throw new ArgumentException($"feature dimensions differ: {real.shape[1]} vs {generated.shape[1]}");
        using var _ = no_grad();
        Real = real.detach().to(float64, CPU, copy: true);
        Generated = generated.detach().to(float64, CPU, copy: true);
    }

    /// <summary>Features of the real images, float64, CPU. // [N, D]</summary>
    public Tensor Real { get; }

    /// <summary>Features of the generated images, float64, CPU. // [N, D]</summary>
    public Tensor Generated { get; }

    /// <summary>N, the size of each set.</summary>
    public int Count => (int)Real.shape[0];

    /// <summary>D, the feature dimension.</summary>
    public int Dimension => (int)Real.shape[1];

    /// <summary>
    /// Extracts the features of <c>options.Count</c> real images (a seeded random subset of <paramref name="real"/>)
    /// and of as many generated images, produced batch by batch by <paramref name="generate"/>.
    /// </summary>
    /// <param name="network">The feature network; it is switched to eval mode.</param>
    /// <param name="real">Real images; must hold at least N images of the network's channels.</param>
    /// <param name="generate">Given a batch size n, returns n generated images in [-1, 1] (values outside are clamped),
    /// <c>[n, C, H, W]</c> on any device; called with gradients disabled; the returned tensor is disposed after use.</param>
    /// <param name="options">N, batch size and seed; null uses the defaults.</param>
    /// <param name="progress">Receives a report after every batch.</param>
    /// <param name="cancel">Stops between batches.</param>
    /// <param name="device">Where the feature network runs; null: the CPU.</param>
    public static SampleSet Collect(FeatureNetwork network, IImageDataset real, Func<int, Tensor> generate, SampleSetOptions? options = null,
        IProgress<SampleSetProgress>? progress = null, CancellationToken cancel = default, Device? device = null)
    {
        var o = (options ?? new SampleSetOptions()).Validate();
        using var realFeatures = FeaturesOf(network, real, o, progress, cancel, device);
        return Collect(network, realFeatures, generate, o, progress, cancel, device);
    }

    /// <summary>As <see cref="Collect(FeatureNetwork, IImageDataset, Func{int, Tensor}, SampleSetOptions?, IProgress{SampleSetProgress}?, CancellationToken, Device?)"/>
    /// with real features computed once beforehand by <see cref="FeaturesOf(FeatureNetwork, IImageDataset, SampleSetOptions?, IProgress{SampleSetProgress}?, CancellationToken, Device?)"/>
    /// (their row count must equal <c>options.Count</c>).</summary>
    public static SampleSet Collect(FeatureNetwork network, Tensor realFeatures, Func<int, Tensor> generate, SampleSetOptions? options = null,
        IProgress<SampleSetProgress>? progress = null, CancellationToken cancel = default, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(realFeatures);
        var o = (options ?? new SampleSetOptions()).Validate();
        if (realFeatures.dim() != 2 || realFeatures.shape[0] != o.Count)
            throw new ArgumentException($"real features must be [{o.Count}, D] to match the sample count, got [{string.Join(", ", realFeatures.shape)}]", nameof(realFeatures));
        using var generated = FeaturesOf(network, generate, o, progress, cancel, device);
        return new SampleSet(realFeatures, generated);
    }

    /// <summary>Features of <c>options.Count</c> images drawn without replacement (seeded) from <paramref name="data"/>.</summary>
    /// <returns>float64 on the CPU. // [N, D]</returns>
    public static Tensor FeaturesOf(FeatureNetwork network, IImageDataset data, SampleSetOptions? options = null,
        IProgress<SampleSetProgress>? progress = null, CancellationToken cancel = default, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        var o = (options ?? new SampleSetOptions()).Validate();
        if (data.Count < o.Count)
            throw new GanSharpException($"metrics: {data.Name} has {data.Count} images, fewer than the sample count {o.Count}",
                "lower the sample count (metrics are only comparable at equal N) or use a larger dataset");
        var subset = data.Count == o.Count ? data : data.Shuffle(o.Seed).Take(o.Count);
        using var loader = new DataLoader(subset, new DataLoaderOptions(o.BatchSize, Shuffle: false, Prefetch: 1), device);
        int done = 0;
        return Extract(network, o.Count, cancel, () =>
        {
            var batch = loader.Next(cancel);
            batch.Labels.Dispose();
            done += batch.Count;
            progress?.Report(new SampleSetProgress("real", done, o.Count));
            return batch.Images;
        });
    }

    /// <summary>Features of <c>options.Count</c> images produced by <paramref name="generate"/> in batches of at most <c>options.BatchSize</c>.</summary>
    /// <returns>float64 on the CPU. // [N, D]</returns>
    public static Tensor FeaturesOf(FeatureNetwork network, Func<int, Tensor> generate, SampleSetOptions? options = null,
        IProgress<SampleSetProgress>? progress = null, CancellationToken cancel = default, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(generate);
        var o = (options ?? new SampleSetOptions()).Validate();
        int done = 0;
        return Extract(network, o.Count, cancel, () =>
        {
            int n = Math.Min(o.BatchSize, o.Count - done);
            var images = generate(n); // [n, C, H, W]
            if (images.dim() != 4 || images.shape[0] != n)
                throw new GanSharpException($"metrics: the generator callback returned [{string.Join(", ", images.shape)}] for a batch of {n}; expected [{n}, C, H, W]");
            done += n;
            progress?.Report(new SampleSetProgress("generated", done, o.Count));
            var clamped = images.clamp(-1, 1);
            images.Dispose();
            return device is null ? clamped : clamped.to(device);
        });
    }

    /// <summary>Runs the network over batches until <paramref name="count"/> rows are collected.</summary>
    static Tensor Extract(FeatureNetwork network, int count, CancellationToken cancel, Func<Tensor> nextBatch)
    {
        TorchRuntime.EnsureInitialized();
        network.eval();
        using var _ = no_grad();
        using var outer = NewDisposeScope();
        var parts = new List<Tensor>();
        long rows = 0;
        while (rows < count)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var images = nextBatch();                                    // [B, C, H, W]
            var features = network.Features(images).to(float64).cpu();  // [B, D]
            rows += features.shape[0];
            parts.Add(features.MoveToOuterDisposeScope());
        }
        return cat(parts, 0).narrow(0, 0, count).MoveToOuterDisposeScope(); // [N, D]
    }

    /// <summary>Disposes both feature tensors.</summary>
    public void Dispose()
    {
        Real.Dispose();
        Generated.Dispose();
    }
}
