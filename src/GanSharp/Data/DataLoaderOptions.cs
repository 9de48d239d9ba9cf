namespace GanSharp.Data;

/// <summary>Options of a <see cref="DataLoader"/>.</summary>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Shuffle">Visit the dataset in a new seeded random order each epoch (order depends only on <paramref name="Seed"/> and the epoch).</param>
/// <param name="Seed">Seed of the per-epoch order.</param>
/// <param name="DropLast">Drop the last batch of an epoch when it is smaller than <paramref name="BatchSize"/>.</param>
/// <param name="Prefetch">Batches prepared ahead on a background thread; 0 prepares each batch on the caller's thread.</param>
public sealed record DataLoaderOptions(int BatchSize = 64, bool Shuffle = true, ulong Seed = 0, bool DropLast = false, int Prefetch = 2)
{
    /// <summary>Throws a <see cref="GanSharpException"/> describing the first invalid option.</summary>
    public DataLoaderOptions Validate()
    {
        if (BatchSize < 1) throw new GanSharpException($"batch size {BatchSize}: must be at least 1");
        if (Prefetch < 0 || Prefetch > 64) throw new GanSharpException($"prefetch {Prefetch}: must be 0..64 batches");
        return this;
    }
}

/// <summary>
/// Where a <see cref="DataLoader"/> stands: the epoch and the index within it of the <em>next</em> batch.
/// Save it with a checkpoint and pass it to <see cref="DataLoader.Seek"/> to resume with exactly the same batches.
/// </summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Batch">Zero-based batch index within the epoch.</param>
public readonly record struct LoaderPosition(int Epoch, int Batch)
{
    /// <inheritdoc/>
    public override string ToString() => $"epoch {Epoch} batch {Batch}";
}
