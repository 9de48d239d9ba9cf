using GanSharp.Diagnostics;
using GanSharp.Imaging;

namespace GanSharp.Data;

/// <summary>
/// The emoji images of one style of an emoji-datasource package (64 px PNGs under <c>img/&lt;style&gt;/64/</c>,
/// described by <c>emoji.json</c>), indexed by code point (<see cref="EmojiEntry.Unified"/>) in ordinal order,
/// labelled by category or subcategory (<see cref="EmojiDatasetOptions.Labels"/>; class names sorted ordinally),
/// composited on a background colour.
/// Two styles are paired by code point with <see cref="SharedCodePoints"/> and <see cref="Pair"/>.
/// </summary>
public sealed class EmojiDataset : IImageDataset
{
    readonly EmojiEntry[] entries;
    readonly int[] labels;
    readonly Dictionary<string, int> indexByCodePoint;
    readonly ImageReadOptions readOptions;
    readonly PixelCache cache;

    EmojiDataset(string packageFolder, EmojiStyle style, EmojiEntry[] entries, IReadOnlyList<string> classNames, EmojiDatasetOptions options,
        string? view = null)
    {
        PackageFolder = packageFolder; Style = style; this.entries = entries; ClassNames = classNames; Options = options; View = view;
        ImageFolder = Path.Combine(packageFolder, "img", style.Key(), "64");
        var classIndex = classNames.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        labels = entries.Select(e => classIndex[options.Labels.ClassOf(e)]).ToArray();
        indexByCodePoint = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Length; i++) indexByCodePoint[entries[i].Unified] = i;
        readOptions = options.ReadOptions;
        cache = new PixelCache(options.CacheSize);
    }

    /// <summary>
    /// Opens an extracted package: <paramref name="packageFolder"/> holds <c>emoji.json</c> and <c>img/&lt;style&gt;/64/</c>
    /// (a folder whose <c>package/</c> subfolder does is accepted too). Emoji whose image file is missing are left out
    /// with one warning.
    /// </summary>
    public static EmojiDataset Open(string packageFolder, EmojiStyle style, EmojiDatasetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageFolder);
        var o = (options ?? new EmojiDatasetOptions()).Validate();
        string folder = Path.GetFullPath(packageFolder);
        if (!File.Exists(Path.Combine(folder, "emoji.json")) && File.Exists(Path.Combine(folder, "package", "emoji.json")))
            folder = Path.Combine(folder, "package");
        if (!Directory.Exists(folder)) throw new GanSharpException($"Emoji package folder not found: '{packageFolder}'.");
        var catalog = EmojiCatalog.Load(Path.Combine(folder, "emoji.json"));
        string images = Path.Combine(folder, "img", style.Key(), "64");
        if (!Directory.Exists(images))
            throw new GanSharpException($"Emoji package '{folder}' has no {style.Key()} images (expected '{images}').",
                $"Fetch {style.PackageName()}, or open the package of the right style.");

        var categories = o.Categories == null ? null : new HashSet<string>(o.Categories, StringComparer.OrdinalIgnoreCase);
        var chosen = new List<EmojiEntry>();
        var missing = new List<string>();
        foreach (var e in catalog)
        {
            if (!e.HasImage(style) || (e.IsSkinVariation && !o.IncludeSkinVariations)) continue;
            if (categories != null && !categories.Contains(e.Category)) continue;
            if (File.Exists(Path.Combine(images, e.Image))) chosen.Add(e);
            else missing.Add(e.Image);
        }
        if (missing.Count > 0)
            Log.Warn($"{missing.Count} emoji image(s) listed in emoji.json are missing from '{images}' and left out (e.g. '{missing[0]}')");
        if (chosen.Count == 0)
            throw new GanSharpException($"No {style.Key()} emoji images found in '{folder}'" + (categories != null ? " for the chosen categories." : "."));
        var ordered = chosen.DistinctBy(e => e.Unified).OrderBy(e => e.Unified, StringComparer.Ordinal).ToArray();
        var classNames = ordered.Select(e => o.Labels.ClassOf(e)).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new EmojiDataset(folder, style, ordered, classNames, o);
    }

    /// <summary>Fetches the package of <paramref name="style"/> into the cache when needed (npm), then opens it.</summary>
    public static EmojiDataset Download(EmojiStyle style, EmojiDatasetOptions? options = null, string? cacheRoot = null) =>
        Open(EmojiFetcher.Ensure(style, cacheRoot), style, options);

    /// <summary>The code points present in both datasets, in ordinal order.</summary>
    public static IReadOnlyList<string> SharedCodePoints(EmojiDataset a, EmojiDataset b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.entries.Select(e => e.Unified).Where(b.indexByCodePoint.ContainsKey).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Both datasets restricted to their <see cref="SharedCodePoints"/>, so index i shows the same emoji in each.</summary>
    public static (EmojiDataset A, EmojiDataset B) Pair(EmojiDataset a, EmojiDataset b)
    {
        var shared = SharedCodePoints(a, b);
        if (shared.Count == 0) throw new GanSharpException($"{a.Name} and {b.Name} share no code points.");
        return (a.Select(shared), b.Select(shared));
    }

    /// <summary>
    /// A view holding exactly <paramref name="codePoints"/>, in that order; class names are kept. <paramref name="view"/>
    /// names the view (e.g. <c>train</c>): it is appended to <see cref="Name"/>.
    /// </summary>
    public EmojiDataset Select(IEnumerable<string> codePoints, string? view = null)
    {
        ArgumentNullException.ThrowIfNull(codePoints);
        var picked = codePoints.Select(cp =>
        {
            int i = IndexOf(cp);
            return i >= 0 ? entries[i] : throw new GanSharpException($"{Name} has no emoji with code point {cp}.");
        }).ToArray();
        if (picked.Length == 0) throw new GanSharpException($"A selection of {Name} must hold at least one emoji.");
        return new EmojiDataset(PackageFolder, Style, picked, ClassNames, Options, view ?? View);
    }

    /// <summary>The package folder (with <c>emoji.json</c>).</summary>
    public string PackageFolder { get; }

    /// <summary>The folder the images are read from.</summary>
    public string ImageFolder { get; }

    /// <summary>The image style.</summary>
    public EmojiStyle Style { get; }

    /// <summary>The licence credit of <see cref="Style"/>.</summary>
    public string Credit => Style.Credit();

    /// <summary>The options the dataset was opened with.</summary>
    public EmojiDatasetOptions Options { get; }

    /// <summary>The indexed emoji, in dataset order.</summary>
    public IReadOnlyList<EmojiEntry> Entries => entries;

    /// <summary>The emoji at <paramref name="index"/>.</summary>
    public EmojiEntry EntryAt(int index) => entries[CheckIndex(index)];

    /// <summary>The index of code point <paramref name="unified"/> (any case, e.g. <c>1f600</c>), or -1.</summary>
    public int IndexOf(string unified) =>
        indexByCodePoint.TryGetValue(unified.Trim().ToUpperInvariant(), out int i) ? i : -1;

    /// <inheritdoc />
    public string Name => $"emoji-{Style.Key()}" + (View is null ? "" : "-" + View);

    /// <summary>The name of this view of the set (e.g. <c>train</c> or <c>heldout</c>), or null for the whole set.</summary>
    public string? View { get; }

    /// <inheritdoc />
    public int Count => entries.Length;

    /// <inheritdoc />
    public int Channels => Options.Mode.Channels();

    /// <inheritdoc />
    public int Height => Options.Size;

    /// <inheritdoc />
    public int Width => Options.Size;

    /// <summary>The categories (or subcategories, per <see cref="EmojiDatasetOptions.Labels"/>) of the opened set, sorted ordinally; <see cref="LabelOf"/> indexes this list. Views made by <see cref="Select"/> keep it.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public void CopyPixels(int index, Span<float> destination)
    {
        int length = Channels * Height * Width;
        if (destination.Length < length) throw new ArgumentException($"destination holds {destination.Length} floats; {length} needed", nameof(destination));
        var pixels = cache.GetOrAdd(CheckIndex(index), i => ImageReader.Read(Path.Combine(ImageFolder, entries[i].Image), readOptions).Pixels); // [C, H, W]
        pixels.AsSpan().CopyTo(destination);
    }

    /// <inheritdoc />
    public int LabelOf(int index) => labels[CheckIndex(index)];

    /// <summary>The code point, e.g. <c>1F600</c>.</summary>
    public string IdOf(int index) => entries[CheckIndex(index)].Unified;

    int CheckIndex(int index) =>
        (uint)index < (uint)entries.Length ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} images");
}
