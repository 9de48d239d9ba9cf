using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Data;

/// <summary>
/// Turns an <see cref="IImageDataset"/> into batches of tensors (<c>[N, C, H, W]</c> float32 images, <c>[N]</c>
/// int64 labels), epoch after epoch. The batch at a <see cref="LoaderPosition"/> depends only on the dataset, the
/// options and that position — not on prefetch timing — so <see cref="Seek"/> to a saved <see cref="Position"/>
/// resumes training with exactly the batches it would have seen.
/// </summary>
/// <remarks>
/// Threading and ownership: a background thread (when <see cref="DataLoaderOptions.Prefetch"/> &gt; 0) only reads
/// the dataset into pooled float arrays; tensors are created on the thread that calls <see cref="Next"/>, so they
/// join that thread's active dispose scope. The caller owns every <see cref="Batch"/> and must dispose it (or its
/// scope). A <see cref="DataLoader"/> is used by one consumer thread at a time; dispose it to stop its thread.
/// An exception thrown by the dataset on the background thread is rethrown by <see cref="Next"/> unchanged.
/// </remarks>
public sealed class DataLoader : IDisposable
{
    readonly int sampleSize;
    readonly PixelPool pool;
    readonly Device? device;
    readonly object orderGate = new();
    int orderEpoch = -1;
    int[] order = Array.Empty<int>();
    BatchPrefetcher? prefetcher;
    LoaderPosition position;
    bool disposed;

    /// <summary>
    /// Every image of a small <paramref name="dataset"/>, in order, as one tensor <c>[N, C, H, W]</c> on
    /// <paramref name="device"/> (the CPU when null), owned by the caller's dispose scope.
    /// </summary>
    public static Tensor LoadAll(IImageDataset dataset, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var loader = new DataLoader(dataset, new DataLoaderOptions(BatchSize: dataset.Count, Shuffle: false, Prefetch: 0), device);
        using var batch = loader.Next();
        return batch.Images.detach().clone();
    }

    /// <summary>Creates a loader at epoch 0, batch 0.</summary>
    /// <param name="dataset">The images; must hold at least one full batch when <see cref="DataLoaderOptions.DropLast"/> is set.</param>
    /// <param name="options">Batching options; null uses the defaults.</param>
    /// <param name="device">Where the tensors go; null keeps them on the CPU.</param>
    public DataLoader(IImageDataset dataset, DataLoaderOptions? options = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset = dataset;
        Options = (options ?? new DataLoaderOptions()).Validate();
        this.device = device;
        if (dataset.Count == 0) throw new GanSharpException($"data loader: {dataset.Name} is empty");
        BatchesPerEpoch = Options.DropLast ? dataset.Count / Options.BatchSize : (dataset.Count + Options.BatchSize - 1) / Options.BatchSize;
        if (BatchesPerEpoch == 0)
            throw new GanSharpException($"data loader: {dataset.Name} has {dataset.Count} images, fewer than one batch of {Options.BatchSize} with drop-last",
                "use a smaller batch size or turn drop-last off");
        sampleSize = checked(dataset.Channels * dataset.Height * dataset.Width);
        pool = new PixelPool(checked(sampleSize * Options.BatchSize), Options.Prefetch + 2);
    }

    /// <summary>The dataset being batched.</summary>
    public IImageDataset Dataset { get; }

    /// <summary>The validated options.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The position of the next batch <see cref="Next"/> will return.</summary>
    public LoaderPosition Position => position;

    /// <summary>Moves to <paramref name="target"/> (e.g. a position saved with a checkpoint); the next batch is the one at that position.</summary>
    public void Seek(LoaderPosition target)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (target.Epoch < 0 || target.Batch < 0 || target.Batch >= BatchesPerEpoch)
            throw new GanSharpException($"data loader: cannot seek to {target}: epochs start at 0 and batches run 0..{BatchesPerEpoch - 1}");
        StopPrefetch();
        position = target;
    }

    /// <summary>The dataset indices of the batch at <paramref name="at"/>, in batch order.</summary>
    public int[] IndicesAt(LoaderPosition at)
    {
        if (at.Epoch < 0 || at.Batch < 0 || at.Batch >= BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(at), at, $"batches run 0..{BatchesPerEpoch - 1}");
        int start = at.Batch * Options.BatchSize;
        int n = Math.Min(Options.BatchSize, Dataset.Count - start);
        if (!Options.Shuffle) return Enumerable.Range(start, n).ToArray();
        lock (orderGate)
        {
            if (orderEpoch != at.Epoch)
            {
                order = new SeededRandom(SeededRandom.Derive(Options.Seed, (ulong)at.Epoch)).Permutation(Dataset.Count);
                orderEpoch = at.Epoch;
            }
            return order.AsSpan(start, n).ToArray();
        }
    }

    /// <summary>
    /// Returns the batch at <see cref="Position"/> and advances (into the next epoch after the last batch).
    /// Tensors are created on the calling thread; the caller owns and disposes the result.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired while waiting; the position is unchanged.</exception>
    public Batch Next(CancellationToken cancel = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancel.ThrowIfCancellationRequested();
        HostBatch host;
        if (Options.Prefetch == 0) host = Produce(position);
        else
        {
            prefetcher ??= new BatchPrefetcher(Produce, Advance, position, Options.Prefetch, Recycle, Dataset.Name);
            host = prefetcher.Take(cancel);
            if (host.Error != null)
            {
                StopPrefetch();
                host.Error.Throw();
            }
            if (host.Position != position)
                throw new InvalidOperationException($"data loader: prefetched {host.Position} but expected {position}");
        }
        try
        {
            var batch = ToTensors(host);
            position = Advance(position);
            return batch;
        }
        finally { Recycle(host); }
    }

    /// <summary>The remaining batches of the current epoch; the position then stands at the next epoch's first batch.</summary>
    public IEnumerable<Batch> ReadEpoch(CancellationToken cancel = default)
    {
        int epoch = position.Epoch;
        while (position.Epoch == epoch) yield return Next(cancel);
    }

    /// <summary>Stops the prefetch thread. Batches already returned stay valid.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        StopPrefetch();
    }

    LoaderPosition Advance(LoaderPosition p) => p.Batch + 1 < BatchesPerEpoch ? p with { Batch = p.Batch + 1 } : new LoaderPosition(p.Epoch + 1, 0);

    HostBatch Produce(LoaderPosition at)
    {
        var indices = IndicesAt(at);
        var pixels = pool.Rent();
        var labels = new long[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            Dataset.CopyPixels(indices[k], pixels.AsSpan(k * sampleSize, sampleSize));
            labels[k] = Dataset.LabelOf(indices[k]);
        }
        return new HostBatch { Position = at, Indices = indices, Pixels = pixels, Labels = labels };
    }

    Batch ToTensors(HostBatch host)
    {
        int n = host.Indices.Length;
        var images = empty(new long[] { n, Dataset.Channels, Dataset.Height, Dataset.Width }, float32); // [N, C, H, W]
        using (var acc = images.data<float>()) acc.CopyFrom(new ReadOnlySpan<float>(host.Pixels, 0, n * sampleSize), 0, 0);
        var labels = tensor(host.Labels, new long[] { n }, int64); // [N]
        if (device is not null && device.type != DeviceType.CPU)
        {
            var (i, l) = (images, labels);
            images = i.to(device);
            labels = l.to(device);
            i.Dispose();
            l.Dispose();
        }
        return new Batch(images, labels, host.Indices, host.Position);
    }

    void Recycle(HostBatch host)
    {
        if (host.Pixels.Length > 0) pool.Return(host.Pixels);
    }

    void StopPrefetch()
    {
        prefetcher?.Dispose();
        prefetcher = null;
    }
}
