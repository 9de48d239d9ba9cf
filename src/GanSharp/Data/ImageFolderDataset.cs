using GanSharp.Diagnostics;
using GanSharp.Imaging;

namespace GanSharp.Data;

/// <summary>
/// A folder of image files. When the folder has subfolders with images, each immediate subfolder is a class
/// (its name is the class name; images anywhere below it belong to it) and loose files at the top are ignored;
/// otherwise the top-level images form an unlabelled set. Files are sorted ordinally by relative path, so the
/// order (and every index) is the same on every machine. Images are fitted to one size and channel count through
/// <see cref="ImageReader"/>, decoded lazily and kept in a small least-recently-used cache.
/// Hidden files and folders (names starting with '.') are ignored.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    readonly string[] paths;
    readonly string[] ids;
    readonly int[] labels;
    readonly ImageReadOptions readOptions;
    readonly PixelCache cache;

    ImageFolderDataset(string root, string[] paths, string[] ids, int[] labels, IReadOnlyList<string> classNames, ImageFolderOptions options)
    {
        Root = root; this.paths = paths; this.ids = ids; this.labels = labels; ClassNames = classNames; Options = options;
        readOptions = options.ReadOptions;
        cache = new PixelCache(options.CacheSize);
        Name = "folder:" + Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
    }

    /// <summary>Indexes the images under <paramref name="root"/>; checks them as <see cref="ImageFolderOptions.Validation"/> says.</summary>
    public static ImageFolderDataset Open(string root, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var o = (options ?? new ImageFolderOptions()).Validate();
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new GanSharpException(File.Exists(full) ? $"Image folder '{root}' is a file, not a folder." : $"Image folder not found: '{root}'.");
        var extensions = new HashSet<string>(o.Extensions ?? ImageFolderOptions.DefaultExtensions, StringComparer.OrdinalIgnoreCase);

        var classNames = new List<string>();
        var found = new List<(string Path, int Label)>();
        foreach (var dir in Directory.GetDirectories(full).Where(d => !IsHidden(d)).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal))
        {
            var files = ImagesUnder(dir, extensions, recursive: true);
            if (files.Count == 0) continue;
            foreach (var f in files) found.Add((f, classNames.Count));
            classNames.Add(Path.GetFileName(dir));
        }
        var loose = ImagesUnder(full, extensions, recursive: false);
        if (classNames.Count > 0)
        {
            if (loose.Count > 0)
                Log.Warn($"'{root}' has class subfolders; {loose.Count} image(s) directly in it are ignored (e.g. '{Path.GetFileName(loose[0])}')");
        }
        else
            found.AddRange(loose.Select(f => (f, -1)));
        if (found.Count == 0)
            throw new GanSharpException($"No images found in '{root}' (extensions {string.Join(", ", extensions.Order(StringComparer.Ordinal))}).",
                "Put images in the folder, or one subfolder per class.");

        var headers = new List<ImageHeader>();
        var kept = new List<(string Path, int Label)>();
        foreach (var f in found)
            if (Check(f.Path, o) is { } h) { kept.Add(f); headers.Add(h); }
        if (kept.Count == 0) throw new GanSharpException($"None of the {found.Count} image(s) in '{root}' could be read.");
        foreach (var notice in ConversionNotices(root, headers, o)) Log.Info(notice);
        return new ImageFolderDataset(full,
            kept.Select(f => f.Path).ToArray(),
            kept.Select(f => Path.GetRelativePath(full, f.Path).Replace(Path.DirectorySeparatorChar, '/')).ToArray(),
            kept.Select(f => f.Label).ToArray(),
            classNames, o);
    }

    static bool IsHidden(string path) => Path.GetFileName(path).StartsWith('.');

    static List<string> ImagesUnder(string dir, HashSet<string> extensions, bool recursive)
    {
        var result = new List<string>();
        foreach (var f in Directory.EnumerateFiles(dir))
            if (!IsHidden(f) && extensions.Contains(Path.GetExtension(f))) result.Add(f);
        if (recursive)
            foreach (var sub in Directory.EnumerateDirectories(dir))
                if (!IsHidden(sub)) result.AddRange(ImagesUnder(sub, extensions, true));
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>The file's header when it passes the chosen validation; null (after a warning) when it fails and bad files are skipped.</summary>
    static ImageHeader? Check(string path, ImageFolderOptions o)
    {
        try
        {
            var read = o.ReadOptions;
            var bytes = Imaging.SkiaDecoder.ReadFileBytes(path, read.EffectiveLimits); // read once: the header and, with full validation, the pixels
            if (o.Validation == ImageValidation.Full) ImageReader.Decode(bytes, path, read);
            return ImageReader.DecodeHeader(bytes, path, read.EffectiveLimits);
        }
        catch (GanSharpException e) when (o.BadFiles == BadImagePolicy.Skip)
        {
            Log.Warn("skipping " + e.Message);
            return null;
        }
    }

    /// <summary>
    /// What reading the folder will change, one line each: colour images read as gray (or gray ones as RGB), and
    /// images whose size differs from the one asked for (resized by the folder's resize policy). Empty when nothing changes.
    /// </summary>
    public static IReadOnlyList<string> ConversionNotices(string root, IReadOnlyList<ImageHeader> headers, ImageFolderOptions o)
    {
        var notices = new List<string>();
        if (headers.Count == 0) return notices;
        bool gray = o.Mode == ImageMode.Gray;
        var converted = headers.Where(h => gray ? h.SourceChannels >= 3 : h.SourceChannels <= 2).ToList();
        if (converted.Count > 0)
            notices.Add($"'{root}': {converted.Count} of {headers.Count} image(s) are {(gray ? "colour" : "gray")} and are read as {(gray ? "gray (luma)" : "RGB (gray copied to 3 channels)")} " +
                $"(e.g. '{Path.GetFileName(converted[0].Source)}')");
        var resized = headers.Where(h => h.Width != o.Width || h.Height != o.Height).ToList();
        if (resized.Count > 0)
        {
            var sizes = resized.Select(h => $"{h.Width}×{h.Height}").Distinct().ToList();
            notices.Add($"'{root}': {resized.Count} of {headers.Count} image(s) are not {o.Width}×{o.Height} ({string.Join(", ", sizes.Take(3))}{(sizes.Count > 3 ? ", …" : "")}) " +
                $"and are resized ({o.Resize})");
        }
        return notices;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>The options the folder was opened with.</summary>
    public ImageFolderOptions Options { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count => paths.Length;

    /// <inheritdoc />
    public int Channels => Options.Mode.Channels();

    /// <inheritdoc />
    public int Height => Options.Height;

    /// <inheritdoc />
    public int Width => Options.Width;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The full path of image <paramref name="index"/>.</summary>
    public string PathOf(int index) => paths[CheckIndex(index)];

    /// <inheritdoc />
    public void CopyPixels(int index, Span<float> destination)
    {
        int length = Channels * Height * Width;
        if (destination.Length < length) throw new ArgumentException($"destination holds {destination.Length} floats; {length} needed", nameof(destination));
        var pixels = cache.GetOrAdd(CheckIndex(index), i => ImageReader.Read(paths[i], readOptions).Pixels); // [C, H, W]
        pixels.AsSpan().CopyTo(destination);
    }

    /// <inheritdoc />
    public int LabelOf(int index) => labels[CheckIndex(index)];

    /// <summary>The path relative to <see cref="Root"/> with '/' separators, e.g. <c>cats/001.png</c>.</summary>
    public string IdOf(int index) => ids[CheckIndex(index)];

    int CheckIndex(int index) =>
        (uint)index < (uint)paths.Length ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} images");
}
