namespace GanSharp.Imaging;

/// <summary>
/// The pixel arithmetic of a sample grid. Cells are <see cref="CellWidth"/>×<see cref="CellHeight"/> (after scaling),
/// each followed by a caption band of <see cref="CaptionHeight"/>; a title band of <see cref="TitleHeight"/> sits on top:
/// <c>Width = Columns·CellWidth + (Columns+1)·Padding</c>,
/// <c>Height = TitleHeight + Rows·(CellHeight+CaptionHeight) + (Rows+1)·Padding</c>.
/// </summary>
public sealed record GridLayout(int Count, int Rows, int Columns, int CellWidth, int CellHeight, int CaptionHeight, int TitleHeight, int Padding)
{
    /// <summary>Total width in pixels.</summary>
    public int Width => Columns * CellWidth + (Columns + 1) * Padding;

    /// <summary>Total height in pixels.</summary>
    public int Height => TitleHeight + Rows * (CellHeight + CaptionHeight) + (Rows + 1) * Padding;

    /// <summary>Lays out <paramref name="count"/> images of <paramref name="imageWidth"/>×<paramref name="imageHeight"/>.</summary>
    /// <param name="count">Number of images.</param>
    /// <param name="imageHeight">Height of one image before scaling.</param>
    /// <param name="imageWidth">Width of one image before scaling.</param>
    /// <param name="options">Grid options.</param>
    /// <param name="textAvailable">Whether captions and title can be drawn; without text their bands are 0 high.</param>
    public static GridLayout Compute(int count, int imageHeight, int imageWidth, GridOptions options, bool textAvailable)
    {
        options.Validate();
        if (count <= 0 || imageHeight <= 0 || imageWidth <= 0)
            throw new GanSharpException($"A grid needs at least one non-empty image (got {count} of {imageWidth}x{imageHeight}).");
        int cols = Math.Min(count, options.Columns ?? (int)Math.Ceiling(Math.Sqrt(count)));
        int rows = (count + cols - 1) / cols;
        bool captions = textAvailable && options.Captions is { Count: > 0 };
        bool title = textAvailable && !string.IsNullOrWhiteSpace(options.Title);
        int captionHeight = captions ? (int)Math.Ceiling(options.FontSize * 1.4f) : 0;
        int titleHeight = title ? (int)Math.Ceiling(options.FontSize * 1.25f * 1.6f) : 0;
        var layout = new GridLayout(count, rows, cols, imageWidth * options.Scale, imageHeight * options.Scale, captionHeight, titleHeight, options.Padding);
        if ((long)layout.Width * layout.Height > ImageLimits.Default.MaxPixels)
            throw new GanSharpException($"The grid would be {layout.Width}x{layout.Height} pixels, above {ImageLimits.Default.MaxPixels}; write fewer or smaller images.");
        return layout;
    }

    /// <summary>Left edge of cell <paramref name="index"/> (row-major).</summary>
    public int CellX(int index) => Padding + index % Columns * (CellWidth + Padding);

    /// <summary>Top edge of cell <paramref name="index"/> (row-major).</summary>
    public int CellY(int index) => TitleHeight + Padding + index / Columns * (CellHeight + CaptionHeight + Padding);
}
