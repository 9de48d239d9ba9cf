using static TorchSharp.torch;

namespace GanSharp.Data;

/// <summary>
/// One batch from a <see cref="DataLoader"/>. The caller owns it: dispose it (or let an enclosing
/// <c>torch.NewDisposeScope()</c>, active when <see cref="DataLoader.Next"/> was called, dispose its tensors).
/// Disposing twice is harmless.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels, int[] indices, LoaderPosition position)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
        Position = position;
    }

    /// <summary>Pixels in [-1, 1], float32. // [N, C, H, W]</summary>
    public Tensor Images { get; }

    /// <summary>Class labels, int64, -1 where unlabelled. // [N]</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset index of each image, in batch order.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>The position this batch was read at (the loader's position before the read).</summary>
    public LoaderPosition Position { get; }

    /// <summary>Number of images (the last batch of an epoch may be smaller than the batch size).</summary>
    public int Count => Indices.Count;

    /// <summary>
    /// For two-domain training (<see cref="UnpairedDataset"/>, CycleGAN): the batch of domain B drawn with this one (which
    /// is domain A's); null when training on one dataset. Disposed with this batch.
    /// </summary>
    public Batch? Partner { get; private init; }

    /// <summary>Domain A's batch <paramref name="a"/> with domain B's <paramref name="b"/> as its <see cref="Partner"/> (both owned by the result).</summary>
    public static Batch Unpaired(Batch a, Batch b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new Batch(a.Images, a.Labels, a.Indices.ToArray(), a.Position) { Partner = b };
    }

    /// <summary>Disposes both tensors (and the partner's).</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Partner?.Dispose();
    }
}
