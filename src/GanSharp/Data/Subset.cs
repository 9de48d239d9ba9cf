namespace GanSharp.Data;

/// <summary>
/// A view that re-indexes another dataset: item <c>i</c> is <c>Source[Indices[i]]</c>. Indices may repeat
/// (oversampling) and be in any order. A subset of a subset is flattened onto the original source, so chains of
/// views cost one lookup.
/// </summary>
public sealed class Subset : IImageDataset
{
    readonly int[] indices;

    /// <summary>Creates the view; every index must be in range of <paramref name="source"/>. The array is copied.</summary>
    public Subset(IImageDataset source, IEnumerable<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        var list = indices.ToArray();
        foreach (int i in list)
            if ((uint)i >= (uint)source.Count)
                throw new GanSharpException($"subset of {source.Name}: index {i} is out of range (0..{source.Count - 1})");
        if (source is Subset inner)
        {
            for (int k = 0; k < list.Length; k++) list[k] = inner.indices[list[k]];
            source = inner.Source;
        }
        Source = source;
        this.indices = list;
        Name = name ?? $"{source.Name}[{list.Length}]";
    }

    /// <summary>The dataset the indices refer to (never itself a <see cref="Subset"/>).</summary>
    public IImageDataset Source { get; }

    /// <summary>The source index of each item.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => indices.Length;

    /// <inheritdoc/>
    public int Channels => Source.Channels;

    /// <inheritdoc/>
    public int Height => Source.Height;

    /// <inheritdoc/>
    public int Width => Source.Width;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Source.ClassNames;

    /// <inheritdoc/>
    public void CopyPixels(int index, Span<float> destination) => Source.CopyPixels(Map(index), destination);

    /// <inheritdoc/>
    public int LabelOf(int index) => Source.LabelOf(Map(index));

    /// <inheritdoc/>
    public string IdOf(int index) => Source.IdOf(Map(index));

    int Map(int index)
    {
        if ((uint)index >= (uint)indices.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} images");
        return indices[index];
    }
}
