namespace GanSharp.Imaging;

/// <summary>
/// One slice of a job: images whose 0-based position in the sorted input list is ≡ <see cref="Index"/> (mod
/// <see cref="Count"/>). Shards of one folder are disjoint and together cover it, so N processes (a job array) can each
/// take one and their per-image outputs merge by file name.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole input.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>K/N</c> (0 ≤ K &lt; N); null or empty is <see cref="All"/>.</summary>
    public static Shard Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int k) || !int.TryParse(parts[1], out int n) || n < 1 || k < 0 || k >= n)
            throw new GanSharpException($"--shard {text}: expected K/N with 0 ≤ K < N, e.g. 0/4 … 3/4");
        return new Shard(k, n);
    }

    /// <summary>True when this shard takes the item at <paramref name="position"/>.</summary>
    public bool Takes(int position) => position % Count == Index;

    /// <summary>A file-name suffix for outputs that summarise the shard (sheets, tables): empty for the whole input.</summary>
    public string Suffix => Count == 1 ? "" : $"-shard{Index}of{Count}";
}

/// <summary>The image files a verb reads: one file, or every image in a folder in ordinal name order.</summary>
public static class ImageFiles
{
    /// <summary>The file extensions read as images.</summary>
    public static readonly IReadOnlyList<string> Extensions = new[] { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif" };

    /// <summary>
    /// <paramref name="path"/> itself, or the images in that folder sorted by name, with their positions in that order,
    /// restricted to <paramref name="shard"/>. <paramref name="option"/> names the CLI option in errors.
    /// </summary>
    public static IReadOnlyList<(string File, int Position)> List(string path, string option, Shard? shard = null)
    {
        string[] files;
        if (Directory.Exists(path))
            files = Directory.GetFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        else if (File.Exists(path)) files = new[] { path };
        else throw new GanSharpException($"{option} {path}: no such file or folder");
        if (files.Length == 0) throw new GanSharpException($"{option} {path}: the folder has no images ({string.Join(", ", Extensions)})");
        shard ??= Shard.All;
        var picked = files.Select((f, i) => (f, i)).Where(p => shard.Takes(p.i)).ToArray();
        if (picked.Length == 0)
            throw new GanSharpException($"{option} {path}: shard {shard.Index}/{shard.Count} is empty ({files.Length} image(s) in all)", "use fewer shards than images");
        return picked;
    }
}
