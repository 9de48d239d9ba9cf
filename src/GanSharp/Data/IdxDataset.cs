namespace GanSharp.Data;

/// <summary>
/// A gray-scale labelled dataset over an IDX image array <c>[N, H, W]</c> and label array <c>[N]</c>.
/// Keeps the bytes in memory (Fashion-MNIST train: 47 MB) and converts one sample at a time to [-1, 1].
/// </summary>
public sealed class IdxDataset : IImageDataset
{
    readonly byte[] pixels;
    readonly byte[] labels;
    readonly int itemSize;

    /// <summary>Wraps arrays read by <see cref="IdxReader.ReadImagesAndLabels"/>; labels must be below <c>classNames.Count</c>.</summary>
    public IdxDataset(string name, IdxArray images, IdxArray labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (images.Dimensions.Count != 3)
            throw new GanSharpException($"IDX file {images.Path}: expected [N, H, W] images, got {images.Dimensions.Count} dimensions");
        if (images.Count != labels.Count)
            throw new GanSharpException($"IDX count mismatch: {images.Path} holds {images.Count} images but {labels.Path} holds {labels.Count} labels");
        for (int i = 0; i < labels.Data.Length; i++)
            if (labels.Data[i] >= classNames.Count)
                throw new GanSharpException($"IDX file {labels.Path}: label {labels.Data[i]} at item {i} is out of range (classes 0..{classNames.Count - 1})");
        Name = name;
        pixels = images.Data;
        this.labels = labels.Data;
        Count = images.Count;
        Height = images.Dimensions[1];
        Width = images.Dimensions[2];
        itemSize = Height * Width;
        ClassNames = classNames;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int Channels => 1;

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public void CopyPixels(int index, Span<float> destination)
    {
        CheckIndex(index);
        if (destination.Length < itemSize)
            throw new ArgumentException($"destination holds {destination.Length} floats, need {itemSize}", nameof(destination));
        var src = pixels.AsSpan(index * itemSize, itemSize);
        // byte b -> b / 127.5 - 1: 0 -> -1, 255 -> +1
        for (int i = 0; i < src.Length; i++) destination[i] = src[i] * (2f / 255f) - 1f;
    }

    /// <inheritdoc/>
    public int LabelOf(int index)
    {
        CheckIndex(index);
        return labels[index];
    }

    /// <inheritdoc/>
    public string IdOf(int index)
    {
        CheckIndex(index);
        return "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} images");
    }
}
