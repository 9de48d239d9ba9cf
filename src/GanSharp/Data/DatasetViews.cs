namespace GanSharp.Data;

/// <summary>
/// Views over an <see cref="IImageDataset"/>: subsets, class filters, seeded shuffles and splits, combinations. Views copy no
/// pixels. Every random choice uses <see cref="SeededRandom"/>, so a seed gives the same result on every machine.
/// </summary>
public static class DatasetViews
{
    /// <summary>The items at <paramref name="indices"/>, in that order.</summary>
    public static Subset Subset(this IImageDataset source, IEnumerable<int> indices, string? name = null) =>
        new(source, indices, name);

    /// <summary>Only the items whose label is one of <paramref name="classes"/>, in source order.</summary>
    public static Subset ClassFilter(this IImageDataset source, params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (classes.Length == 0) throw new GanSharpException($"class filter on {source.Name}: no classes given");
        if (source.ClassNames.Count == 0) throw new GanSharpException($"class filter on {source.Name}: the dataset has no labels");
        foreach (int c in classes)
            if (c < 0 || c >= source.ClassNames.Count)
                throw new GanSharpException($"class filter on {source.Name}: class {c} is out of range (0..{source.ClassNames.Count - 1})");
        var keep = new HashSet<int>(classes);
        var idx = new List<int>();
        for (int i = 0; i < source.Count; i++)
            if (keep.Contains(source.LabelOf(i))) idx.Add(i);
        return new Subset(source, idx, $"{source.Name}:{string.Join("+", classes)}");
    }

    /// <summary>The items of every part in turn, labels matched by class name (see <see cref="ConcatenatedDataset"/>).</summary>
    /// <param name="parts">One or more datasets of the same image shape.</param>
    /// <param name="classNames">The class names to map onto; null: the parts' common list or the ordinal union of their names.</param>
    public static ConcatenatedDataset Combine(IEnumerable<IImageDataset> parts, IReadOnlyList<string>? classNames = null) => new(parts, classNames);

    /// <summary>
    /// The dataset with its labels mapped by name onto <paramref name="classNames"/> (e.g. a validation set onto its
    /// training set's classes): itself when its class names already are that list, else a one-part <see cref="ConcatenatedDataset"/>.
    /// Throws when an item's class is not in the list.
    /// </summary>
    public static IImageDataset AlignClasses(this IImageDataset source, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(classNames);
        return source.ClassNames.SequenceEqual(classNames, StringComparer.Ordinal) ? source : new ConcatenatedDataset(new[] { source }, classNames, source.Name);
    }

    /// <summary>The dataset itself when it already is <paramref name="size"/>×<paramref name="size"/>, else a bilinear <see cref="ResizedDataset"/> view.</summary>
    public static IImageDataset ResizeTo(this IImageDataset source, int size) =>
        source.Height == size && source.Width == size ? source : new ResizedDataset(source, size, size);

    /// <summary>The first <paramref name="count"/> items (all of them when fewer).</summary>
    public static Subset Take(this IImageDataset source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (count < 0) throw new GanSharpException($"take {count} from {source.Name}: count must not be negative");
        int n = Math.Min(count, source.Count);
        return new Subset(source, Enumerable.Range(0, n), $"{source.Name}[:{n}]");
    }

    /// <summary>
    /// <paramref name="count"/> items evenly spaced over the dataset (all of them when fewer): a sample across the
    /// categories of a set ordered by category, such as the emoji sets.
    /// </summary>
    public static Subset Spread(this IImageDataset source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (count < 0) throw new GanSharpException($"spread {count} over {source.Name}: count must not be negative");
        int n = Math.Min(count, source.Count);
        return new Subset(source, Enumerable.Range(0, n).Select(i => (int)((long)i * source.Count / n)), $"{source.Name}[every {source.Count / Math.Max(1, n)}th]");
    }

    /// <summary>All items in a seeded random order.</summary>
    public static Subset Shuffle(this IImageDataset source, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Subset(source, new SeededRandom(seed).Permutation(source.Count), $"{source.Name}~{seed}");
    }

    /// <summary>
    /// Splits into disjoint parts of the given fractions (each in [0, 1], summing to at most 1; the rest is left out).
    /// Counts are rounded by largest remainder so that fractions summing to 1 use every item.
    /// </summary>
    /// <param name="source">The dataset to split.</param>
    /// <param name="fractions">One fraction per part, e.g. <c>[0.9, 0.1]</c>.</param>
    /// <param name="seed">Seed of the random assignment.</param>
    /// <param name="stratified">Keep each part's class proportions as close as possible to the whole's (within one item per class).</param>
    public static IReadOnlyList<Subset> Split(this IImageDataset source, IReadOnlyList<double> fractions, ulong seed, bool stratified = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count == 0) throw new GanSharpException($"split of {source.Name}: no fractions given");
        double sum = 0;
        foreach (double f in fractions)
        {
            if (!(f >= 0 && f <= 1)) throw new GanSharpException($"split of {source.Name}: fraction {f} must be in [0, 1]");
            sum += f;
        }
        if (sum > 1 + 1e-9) throw new GanSharpException($"split of {source.Name}: fractions sum to {sum}, more than 1");
        return SplitCounts(source, CountsFor(source.Count, fractions, sum), seed, stratified);
    }

    /// <summary>Splits into disjoint parts of exactly <paramref name="counts"/> items (summing to at most <c>Count</c>).</summary>
    /// <param name="source">The dataset to split.</param>
    /// <param name="counts">Items per part.</param>
    /// <param name="seed">Seed of the random assignment.</param>
    /// <param name="stratified">Keep each part's class proportions as close as possible to the whole's (within one item per class).</param>
    public static IReadOnlyList<Subset> SplitCounts(this IImageDataset source, IReadOnlyList<int> counts, ulong seed, bool stratified = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0) throw new GanSharpException($"split of {source.Name}: no counts given");
        long total = 0;
        foreach (int c in counts)
        {
            if (c < 0) throw new GanSharpException($"split of {source.Name}: count {c} must not be negative");
            total += c;
        }
        if (total > source.Count) throw new GanSharpException($"split of {source.Name}: counts sum to {total}, more than its {source.Count} items");
        int[] order = stratified ? StratifiedPermutation(source, seed) : new SeededRandom(seed).Permutation(source.Count);
        var parts = new List<Subset>(counts.Count);
        int start = 0;
        for (int k = 0; k < counts.Count; k++)
        {
            parts.Add(new Subset(source, order.AsSpan(start, counts[k]).ToArray(), $"{source.Name}/split{k}"));
            start += counts[k];
        }
        return parts;
    }

    /// <summary>Largest-remainder rounding of <c>n * fractions</c>; when the fractions sum to 1 the counts sum to n.</summary>
    static int[] CountsFor(int n, IReadOnlyList<double> fractions, double sum)
    {
        var counts = new int[fractions.Count];
        var remainders = new double[fractions.Count];
        int assigned = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            double exact = n * fractions[k];
            counts[k] = (int)Math.Floor(exact);
            remainders[k] = exact - counts[k];
            assigned += counts[k];
        }
        int target = (int)Math.Min(n, Math.Round(n * Math.Min(sum, 1.0)));
        foreach (int k in Enumerable.Range(0, counts.Length).OrderByDescending(k => remainders[k]).ThenBy(k => k))
        {
            if (assigned >= target) break;
            counts[k]++;
            assigned++;
        }
        return counts;
    }

    /// <summary>
    /// A permutation in which every class is spread evenly: each class is shuffled, its r-th item of n_c gets the
    /// key (r + 0.5) / n_c, and items are ordered by key. Any contiguous block then holds each class within one
    /// item of its proportion, so cutting the order into blocks gives stratified parts.
    /// </summary>
    static int[] StratifiedPermutation(IImageDataset source, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < source.Count; i++)
        {
            int label = source.LabelOf(i);
            if (!byClass.TryGetValue(label, out var list)) byClass[label] = list = new List<int>();
            list.Add(i);
        }
        var keyed = new List<(double Key, int Tie, int Index)>(source.Count);
        foreach (var (label, list) in byClass)
        {
            var items = list.ToArray();
            rng.Shuffle(items.AsSpan());
            for (int r = 0; r < items.Length; r++)
                keyed.Add(((r + 0.5) / items.Length, rng.NextInt(int.MaxValue), items[r]));
        }
        keyed.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Tie != b.Tie ? a.Tie.CompareTo(b.Tie) : a.Index.CompareTo(b.Index));
        return keyed.Select(k => k.Index).ToArray();
    }
}
