namespace GanSharp.Data;

/// <summary>
/// A finite, indexable set of same-sized images with optional class labels. Pixels are float32 in [-1, 1],
/// channel-major (<c>[C, H, W]</c>), so a batch is a plain copy into a <c>[N, C, H, W]</c> tensor.
/// Implementations: IDX (Fashion-MNIST), image folders, emoji sets, and views (subsets, splits, pairs).
/// Thread-safety: <see cref="CopyPixels"/> may be called from a background prefetch thread.
/// </summary>
public interface IImageDataset
{
    /// <summary>A short human-readable name, e.g. <c>fashion-mnist:train</c>.</summary>
    string Name { get; }

    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Channels per image: 1 (gray) or 3 (RGB).</summary>
    int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    int Height { get; }

    /// <summary>Image width in pixels.</summary>
    int Width { get; }

    /// <summary>Class names indexed by label; empty when the dataset is unlabelled.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Writes image <paramref name="index"/> as <c>Channels*Height*Width</c> floats in [-1, 1], CHW order.</summary>
    void CopyPixels(int index, Span<float> destination);

    /// <summary>The class label of image <paramref name="index"/>, or -1 when unlabelled.</summary>
    int LabelOf(int index);

    /// <summary>A stable identifier of image <paramref name="index"/> (file name, code point, or <c>#index</c>).</summary>
    string IdOf(int index);
}
