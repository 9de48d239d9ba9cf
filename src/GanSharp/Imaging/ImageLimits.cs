namespace GanSharp.Imaging;

/// <summary>
/// Limits checked from an image's header before any pixel is decoded, so that a decompression bomb
/// (a small file that declares huge dimensions) is refused instead of exhausting memory.
/// </summary>
/// <param name="MaxWidth">Largest accepted width in pixels.</param>
/// <param name="MaxHeight">Largest accepted height in pixels.</param>
/// <param name="MaxPixels">Largest accepted width × height.</param>
/// <param name="MaxFileBytes">Largest accepted file size in bytes.</param>
public sealed record ImageLimits(int MaxWidth = 8192, int MaxHeight = 8192, long MaxPixels = 40_000_000, long MaxFileBytes = 256L << 20)
{
    /// <summary>The defaults: 8192 × 8192, 40 megapixels, 256 MiB files.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Throws a <see cref="GanSharpException"/> when a limit is not positive.</summary>
    public ImageLimits Validate()
    {
        if (MaxWidth <= 0 || MaxHeight <= 0 || MaxPixels <= 0 || MaxFileBytes <= 0)
            throw new GanSharpException($"Image limits must be positive (got {MaxWidth}x{MaxHeight}, {MaxPixels} pixels, {MaxFileBytes} bytes).");
        return this;
    }
}
