using static TorchSharp.torch;

namespace GanSharp.Data;

/// <summary>
/// Two datasets aligned by a key (pix2pix-style pairs): item <c>i</c> is <c>(A[i], B[i])</c> where both share a
/// key, by default their <see cref="IImageDataset.IdOf"/>. Pairs follow A's order; items without a partner are
/// left out and counted. Batch it with <see cref="CreateLoaders"/>: two loaders with the same seed stay aligned.
/// </summary>
public sealed class PairedDataset
{
    /// <summary>Pairs the items of <paramref name="a"/> and <paramref name="b"/> whose keys are equal.</summary>
    /// <param name="a">Source domain.</param>
    /// <param name="b">Target domain.</param>
    /// <param name="keyOf">Maps an item id to its pairing key (e.g. strip the extension); null uses the id itself.</param>
    public PairedDataset(IImageDataset a, IImageDataset b, Func<string, string>? keyOf = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        keyOf ??= id => id;
        var inB = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < b.Count; j++)
        {
            string key = keyOf(b.IdOf(j));
            if (!inB.TryAdd(key, j))
                throw new GanSharpException($"paired dataset: key '{key}' occurs twice in {b.Name}", "pairing needs unique keys on each side");
        }
        var seenA = new HashSet<string>(StringComparer.Ordinal);
        var ia = new List<int>();
        var ib = new List<int>();
        var keys = new List<string>();
        for (int i = 0; i < a.Count; i++)
        {
            string key = keyOf(a.IdOf(i));
            if (!seenA.Add(key))
                throw new GanSharpException($"paired dataset: key '{key}' occurs twice in {a.Name}", "pairing needs unique keys on each side");
            if (inB.TryGetValue(key, out int j))
            {
                ia.Add(i);
                ib.Add(j);
                keys.Add(key);
            }
        }
        if (ia.Count == 0)
            throw new GanSharpException($"paired dataset: no key of {a.Name} matches one of {b.Name}",
                "pairs are matched by item id (file name); check that both folders use the same names");
        A = new Subset(a, ia, a.Name + "(paired)");
        B = new Subset(b, ib, b.Name + "(paired)");
        Keys = keys;
        UnmatchedA = a.Count - ia.Count;
        UnmatchedB = b.Count - ib.Count;
    }

    /// <summary>The A side, in pair order.</summary>
    public IImageDataset A { get; }

    /// <summary>The B side, aligned with <see cref="A"/>: <c>B[i]</c> is the partner of <c>A[i]</c>.</summary>
    public IImageDataset B { get; }

    /// <summary>The key of each pair.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => Keys.Count;

    /// <summary>Items of the original A without a partner.</summary>
    public int UnmatchedA { get; }

    /// <summary>Items of the original B without a partner.</summary>
    public int UnmatchedB { get; }

    /// <summary>Two loaders with identical options (and so identical order): batch k of each holds the same pairs.</summary>
    public (DataLoader A, DataLoader B) CreateLoaders(DataLoaderOptions options, Device? device = null) =>
        (new DataLoader(A, options, device), new DataLoader(B, options, device));
}
