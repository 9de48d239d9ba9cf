namespace GanSharp.Data;

/// <summary>
/// A view that chains datasets of one image shape: the items of the first part, then those of the second, and so on
/// (e.g. the Google and the Twitter emoji as one training set). Labels are matched by class <i>name</i>, not index:
/// the view's <see cref="ClassNames"/> are the list given, or the parts' common list when they all have the same one,
/// or else the union of their names in ordinal order; every part's labels are remapped onto it. Copies no pixels.
/// </summary>
public sealed class ConcatenatedDataset : IImageDataset
{
    readonly IImageDataset[] parts;
    readonly int[] starts;      // starts[p]: index of part p's first item; starts[^1] = Count
    readonly int[][] labelMaps; // labelMaps[p][part label] = view label, or -1 when the name is not in ClassNames

    /// <summary>Creates the view.</summary>
    /// <param name="parts">One or more datasets with equal channels, height and width; all labelled or all unlabelled.</param>
    /// <param name="classNames">The class names to map the labels onto (e.g. a training set's, for its validation set);
    /// null: the parts' common list, or the ordinal union of their names. Every labelled item's class must be in it.</param>
    /// <param name="name">The view's name; null joins the parts' names with <c>+</c>.</param>
    public ConcatenatedDataset(IEnumerable<IImageDataset> parts, IReadOnlyList<string>? classNames = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        this.parts = parts.ToArray();
        if (this.parts.Length == 0) throw new GanSharpException("a combined dataset needs at least one part");
        if (this.parts.Any(p => p is null)) throw new ArgumentException("a part is null", nameof(parts));
        var first = this.parts[0];
        Name = name ?? string.Join("+", this.parts.Select(p => p.Name));
        foreach (var p in this.parts.Skip(1))
            if (p.Channels != first.Channels || p.Height != first.Height || p.Width != first.Width)
                throw new GanSharpException($"{Name}: {p.Name} is {p.Channels}x{p.Height}x{p.Width} but {first.Name} is {first.Channels}x{first.Height}x{first.Width}",
                    "combine datasets read at the same size and mode");
        bool labelled = first.ClassNames.Count > 0;
        if (this.parts.Any(p => p.ClassNames.Count > 0 != labelled))
            throw new GanSharpException($"{Name}: some parts are labelled and some are not ({string.Join(", ", this.parts.Select(p => $"{p.Name}: {p.ClassNames.Count} classes"))})");

        ClassNames = classNames?.ToArray() ?? CommonOrUnion(this.parts);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ClassNames.Count; i++)
            if (!index.TryAdd(ClassNames[i], i)) throw new GanSharpException($"{Name}: class name '{ClassNames[i]}' is listed twice");
        labelMaps = this.parts.Select(p => p.ClassNames.Select(c => index.GetValueOrDefault(c, -1)).ToArray()).ToArray();

        starts = new int[this.parts.Length + 1];
        for (int p = 0; p < this.parts.Length; p++)
        {
            starts[p + 1] = checked(starts[p] + this.parts[p].Count);
            if (!labelled) continue;
            var map = labelMaps[p];
            for (int i = 0; i < this.parts[p].Count; i++)
            {
                int label = this.parts[p].LabelOf(i);
                if (label >= 0 && label < map.Length && map[label] < 0)
                    throw new GanSharpException($"{Name}: item {this.parts[p].IdOf(i)} of {this.parts[p].Name} has class '{this.parts[p].ClassNames[label]}', " +
                                                $"which is not among the {ClassNames.Count} class names of the combined set",
                        "validate on data whose classes the training data has");
            }
        }
    }

    static string[] CommonOrUnion(IImageDataset[] parts)
    {
        var first = parts[0].ClassNames;
        if (parts.All(p => p.ClassNames.SequenceEqual(first, StringComparer.Ordinal))) return first.ToArray();
        return parts.SelectMany(p => p.ClassNames).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The chained datasets, in order.</summary>
    public IReadOnlyList<IImageDataset> Parts => parts;

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => starts[^1];

    /// <inheritdoc/>
    public int Channels => parts[0].Channels;

    /// <inheritdoc/>
    public int Height => parts[0].Height;

    /// <inheritdoc/>
    public int Width => parts[0].Width;

    /// <summary>The class names every part's labels are mapped onto (empty when the parts are unlabelled).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public void CopyPixels(int index, Span<float> destination)
    {
        var (p, i) = Locate(index);
        parts[p].CopyPixels(i, destination);
    }

    /// <summary>The item's class in <see cref="ClassNames"/> (mapped by name from its part's label), or -1 when unlabelled.</summary>
    public int LabelOf(int index)
    {
        var (p, i) = Locate(index);
        int label = parts[p].LabelOf(i);
        return label >= 0 && label < labelMaps[p].Length ? labelMaps[p][label] : -1;
    }

    /// <summary>The part's id; with several parts prefixed by the part's name (<c>emoji-google-train/1F600</c>), as the same id may occur in two parts.</summary>
    public string IdOf(int index)
    {
        var (p, i) = Locate(index);
        return parts.Length == 1 ? parts[0].IdOf(i) : parts[p].Name + "/" + parts[p].IdOf(i);
    }

    /// <summary>The part holding item <paramref name="index"/> and the item's index in it.</summary>
    public (int Part, int Index) Locate(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} images");
        int p = Array.BinarySearch(starts, index);
        if (p < 0) p = ~p - 1;
        while (starts[p + 1] == index) p++; // skip empty parts that start at the same index
        return (p, index - starts[p]);
    }
}
