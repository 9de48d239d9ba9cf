using GanSharp.Imaging;

namespace GanSharp.Data;

/// <summary>How <see cref="DatasetResolver"/> builds datasets.</summary>
/// <param name="Size">Side length for image folders and emoji (Fashion-MNIST is always 28).</param>
/// <param name="Mode">Gray or RGB for image folders and emoji; null: RGB.</param>
/// <param name="AllowDownload">Whether a missing emoji set may be fetched with npm (the photographs with apt-get).</param>
/// <param name="CacheRoot">The emoji cache folder; null: <see cref="EmojiFetcher.DefaultCacheRoot"/>.</param>
/// <param name="BundledRoot">The bundled samples folder (<c>assets/samples</c>) for <c>bundled:</c> specs.</param>
/// <param name="ExactSize">Resample fixed-size datasets (Fashion-MNIST) to <paramref name="Size"/> too (bilinear), as
/// training and evaluation at a given resolution need.</param>
/// <param name="EmojiLabels">The class labels of emoji sets: categories or subcategories (other kinds keep their own labels).</param>
public sealed record DatasetResolveOptions(int Size = 64, ImageMode? Mode = null, bool AllowDownload = false, string? CacheRoot = null, string? BundledRoot = null,
    bool ExactSize = false, EmojiLabels EmojiLabels = EmojiLabels.Category)
{
    /// <summary>Checks the values; returns this.</summary>
    public DatasetResolveOptions Validate()
    {
        if (Size is < 4 or > 4096) throw new GanSharpException($"image size {Size}: must be between 4 and 4096");
        return this;
    }
}

/// <summary>
/// Maps a dataset spec (<see cref="DatasetSpec.Forms"/>, or <c>bundled:SPEC</c> for the committed samples) to a dataset.
/// </summary>
public static class DatasetResolver
{
    /// <summary>The prefix that selects the bundled samples instead of the installed/cached data.</summary>
    public const string BundledPrefix = "bundled:";

    /// <summary>Accepted forms, for help texts.</summary>
    public const string Forms = DatasetSpec.Forms + ", bundled:fashion-mnist[:CLASS], bundled:emoji:google|twitter[:train|heldout], SPEC+SPEC (one set of both)";

    /// <summary>
    /// The parts of a combined spec <c>SPEC+SPEC[+…]</c>, or null when <paramref name="text"/> names one dataset. Text is
    /// split at a <c>+</c> only when every part starts with a dataset kind, so a folder path that contains <c>+</c> stays whole.
    /// </summary>
    public static string[]? CombinedParts(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('+')) return null;
        var parts = text.Split('+', StringSplitOptions.TrimEntries);
        return parts.All(p => DatasetSpec.StartsWithKind(p.StartsWith(BundledPrefix, StringComparison.OrdinalIgnoreCase) ? p[BundledPrefix.Length..] : p)) ? parts : null;
    }

    /// <summary>Whether <paramref name="text"/> names installed or cached data (one spec or a combination; no <c>bundled:</c> part).</summary>
    public static bool IsInstalledSpec(string text) =>
        (CombinedParts(text) ?? new[] { text }).All(p => !p.StartsWith(BundledPrefix, StringComparison.OrdinalIgnoreCase) && DatasetSpec.TryParse(p, out _, out _));

    /// <summary>
    /// Parses and resolves <paramref name="text"/>. <c>SPEC+SPEC</c> chains several datasets read at the same size and mode
    /// into one (<see cref="ConcatenatedDataset"/>; labels matched by class name), e.g.
    /// <c>emoji:google:train+emoji:twitter:train</c>.
    /// </summary>
    public static IImageDataset Resolve(string text, DatasetResolveOptions? options = null)
    {
        options = (options ?? new DatasetResolveOptions()).Validate();
        if (CombinedParts(text) is { } parts)
        {
            if (parts.Distinct(StringComparer.OrdinalIgnoreCase).Count() != parts.Length)
                throw new GanSharpException($"dataset spec '{text}': a part is named twice", "name each dataset once");
            return DatasetViews.Combine(parts.Select(p => Resolve(p, options)).ToArray());
        }
        bool bundled = text.StartsWith(BundledPrefix, StringComparison.OrdinalIgnoreCase);
        var spec = DatasetSpec.Parse(bundled ? text[BundledPrefix.Length..] : text);
        if (!bundled) return Resolve(spec, options);
        var root = options.BundledRoot ?? throw new GanSharpException($"{text}: the bundled samples folder is unknown", "pass --assets PATH or run from a GanSharp checkout");
        return spec.Kind switch
        {
            DatasetKind.FashionMnist => Resolve(spec with { Split = DatasetSplit.Test }, options, SampleBundle.FashionMnistFolder(root)),
            DatasetKind.Emoji when spec.Split is { } split && EmojiStyles.Parse(spec.Argument!) is var style =>
                ApplyClass(SampleBundle.ApplyEmojiSplit(EmojiDataset.Open(SampleBundle.EmojiFolder(root, style), style, EmojiOptions(options)), split, text), spec),
            DatasetKind.Emoji when EmojiStyles.Parse(spec.Argument!) is var style =>
                ApplyClass(EmojiDataset.Open(SampleBundle.EmojiFolder(root, style), style, EmojiOptions(options)), spec),
            _ => throw new GanSharpException($"{text}: only fashion-mnist and emoji samples are bundled"),
        };
    }

    /// <summary>Resolves a parsed spec against installed or cached data.</summary>
    public static IImageDataset Resolve(DatasetSpec spec, DatasetResolveOptions? options = null, string? fashionMnistFolder = null)
    {
        options = (options ?? new DatasetResolveOptions()).Validate();
        spec = spec.Validate();
        switch (spec.Kind)
        {
            case DatasetKind.FashionMnist:
                // The only fixed-size source (28 px): the one place ExactSize has work to do.
                var fashion = FashionMnist.Load(new FashionMnistOptions(fashionMnistFolder, spec.Split ?? DatasetSplit.Train, spec.Class));
                return options.ExactSize ? fashion.ResizeTo(options.Size) : fashion;
            case DatasetKind.Folder:
                var folder = ImageFolderDataset.Open(spec.Argument!, new ImageFolderOptions(Width: options.Size, Height: options.Size, Mode: options.Mode ?? ImageMode.Rgb));
                return ApplyClass(folder, spec);
            case DatasetKind.Emoji:
                var style = EmojiStyles.Parse(spec.Argument!);
                if (!EmojiFetcher.IsCached(style, options.CacheRoot) && !options.AllowDownload)
                    throw new GanSharpException($"emoji:{style.Key()} is not in the cache ({EmojiFetcher.PackageFolder(style, options.CacheRoot)})",
                        $"run `gansharp data fetch emoji:{style.Key()}` (uses npm), or use bundled:emoji:{style.Key()}");
                var emoji = EmojiDataset.Download(style, EmojiOptions(options), options.CacheRoot);
                if (spec.Split is DatasetSplit split)
                    emoji = EmojiSplit.Apply(emoji, split, EmojiCatalog.Load(Path.Combine(emoji.PackageFolder, "emoji.json")));
                return ApplyClass(emoji, spec);
            case DatasetKind.Photos:
                if (!PhotoFetcher.IsCached(options.CacheRoot) && !options.AllowDownload)
                    throw new GanSharpException($"photos are not in the cache ({PhotoFetcher.Folder(options.CacheRoot)})",
                        "run `gansharp data fetch photos` (uses apt-get download), or use folder:PATH with your own photographs");
                string photos = PhotoFetcher.Ensure(options.CacheRoot);
                return ImageFolderDataset.Open(photos, new ImageFolderOptions(Width: options.Size, Height: options.Size, Mode: options.Mode ?? ImageMode.Rgb));
            default:
                throw new GanSharpException($"unknown dataset kind {spec.Kind}");
        }
    }

    static EmojiDatasetOptions EmojiOptions(DatasetResolveOptions o) => new(Size: o.Size, Mode: o.Mode ?? ImageMode.Rgb, Labels: o.EmojiLabels);

    static IImageDataset ApplyClass(IImageDataset d, DatasetSpec spec)
    {
        if (spec.Class is not int c) return d;
        if (c < 0 || c >= d.ClassNames.Count)
            throw new GanSharpException($"{spec}: class {c} does not exist (the dataset has {d.ClassNames.Count} classes: {string.Join(", ", d.ClassNames)})");
        return d.ClassFilter(c);
    }
}
