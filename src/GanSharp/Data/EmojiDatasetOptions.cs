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
public sealed record EmojiDatasetOptions(
    int Size = 64,
    ImageMode Mode = ImageMode.Rgb,
    RgbColor? Background = null,
    bool IncludeSkinVariations = false,
    IReadOnlyList<string>? Categories = null,
    int CacheSize = 4096,
    ImageLimits? Limits = null)
{
    /// <summary>The read options every emoji is decoded with.</summary>
    public ImageReadOptions ReadOptions => new(Mode, AlphaPolicy.Composite, Size, Size, ResizePolicy.Stretch, Background, Limits);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public EmojiDatasetOptions Validate()
    {
        if (Size < 4 || Size > 1024) throw new GanSharpException($"Emoji size must be 4..1024 pixels (got {Size}).");
        if (CacheSize < 0) throw new GanSharpException($"Emoji cache size must be 0 or more (got {CacheSize}).");
        if (Categories is { Count: 0 }) throw new GanSharpException("Emoji categories must be null (all) or name at least one category.");
        ReadOptions.Validate();
        return this;
    }
}
