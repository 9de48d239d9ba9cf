using GanSharp.Imaging;

namespace GanSharp.Data;

/// <summary>Options of <see cref="EmojiDataset"/>.</summary>
/// <param name="Size">Side of the square images (the packages hold 64 px images; other sizes are resampled).</param>
/// <param name="Mode">RGB or gray (luminance after compositing).</param>
/// <param name="Background">Colour the transparent emoji are composited on (white when null).</param>
/// <param name="IncludeSkinVariations">Also index skin-tone variations (off: base emoji only).</param>
/// <param name="Categories">Keep only these categories (e.g. <c>Smileys &amp; Emotion</c>); null for all.</param>
/// <param name="CacheSize">Decoded images kept in memory; the full set at 64 px RGB is about 190 MB.</param>
/// <param name="Limits">Header limits (default when null).</param>
/// <param name="Labels">What the class labels are: the category (9–10 classes) or the subcategory (about 100).</param>
public sealed record EmojiDatasetOptions(
    int Size = 64,
    ImageMode Mode = ImageMode.Rgb,
    RgbColor? Background = null,
    bool IncludeSkinVariations = false,
    IReadOnlyList<string>? Categories = null,
    int CacheSize = 4096,
    ImageLimits? Limits = null,
    EmojiLabels Labels = EmojiLabels.Category)
{
    /// <summary>The read options every emoji is decoded with.</summary>
    public ImageReadOptions ReadOptions => new(Mode, AlphaPolicy.Composite, Size, Size, ResizePolicy.Stretch, Background, Limits);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public EmojiDatasetOptions Validate()
    {
        if (Size < 4 || Size > 1024) throw new GanSharpException($"Emoji size must be 4..1024 pixels (got {Size}).");
        if (CacheSize < 0) throw new GanSharpException($"Emoji cache size must be 0 or more (got {CacheSize}).");
        if (!Enum.IsDefined(Labels)) throw new GanSharpException($"Unknown emoji label kind {(int)Labels}.");
        if (Categories is { Count: 0 }) throw new GanSharpException("Emoji categories must be null (all) or name at least one category.");
        ReadOptions.Validate();
        return this;
    }
}

/// <summary>What an <see cref="EmojiDataset"/>'s class labels are.</summary>
public enum EmojiLabels
{
    /// <summary>The category of <c>emoji.json</c> (<see cref="EmojiEntry.Category"/>, e.g. <c>Smileys &amp; Emotion</c>): 9–10 classes.</summary>
    Category,

    /// <summary>The subcategory (<see cref="EmojiEntry.Subcategory"/>, e.g. <c>face-smiling</c>): about 100 classes.</summary>
    Subcategory,
}

/// <summary>Names of <see cref="EmojiLabels"/>.</summary>
public static class EmojiLabelKinds
{
    /// <summary>The class name of <paramref name="entry"/> under <paramref name="labels"/>; an entry without a subcategory is labelled <c>(none)</c>.</summary>
    public static string ClassOf(this EmojiLabels labels, EmojiEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return labels switch
        {
            EmojiLabels.Category => entry.Category,
            EmojiLabels.Subcategory => entry.Subcategory.Length > 0 ? entry.Subcategory : "(none)",
            _ => throw new GanSharpException($"Unknown emoji label kind {(int)labels}."),
        };
    }

    /// <summary>The lower-case name used on the command line: <c>category</c> or <c>subcategory</c>.</summary>
    public static string Key(this EmojiLabels labels) => labels switch
    {
        EmojiLabels.Category => "category",
        EmojiLabels.Subcategory => "subcategory",
        _ => throw new GanSharpException($"Unknown emoji label kind {(int)labels}."),
    };

    /// <summary>Parses <c>category</c> or <c>subcategory</c> (case-insensitive).</summary>
    public static EmojiLabels Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "category" or "categories" => EmojiLabels.Category,
        "subcategory" or "subcategories" => EmojiLabels.Subcategory,
        _ => throw new GanSharpException($"Unknown emoji label kind '{text}'.", "Use category or subcategory."),
    };
}
