namespace GanSharp.Imaging;

/// <summary>How a batch of images is laid out as one sample grid.</summary>
/// <param name="Columns">Cells per row; null for ⌈√N⌉. Never more than N.</param>
/// <param name="Padding">Pixels between cells and around the grid.</param>
/// <param name="Scale">Integer nearest-neighbour upscaling of each cell (to make 28×28 samples visible).</param>
/// <param name="Background">Colour of the padding, caption and title bands.</param>
/// <param name="TextColor">Colour of captions and title.</param>
/// <param name="Captions">One caption per cell (fewer is allowed), drawn under the cell; null for none.</param>
/// <param name="Title">A title band across the top; null for none.</param>
/// <param name="FontSize">Caption size in pixels; the title is 1.25× larger.</param>
public sealed record GridOptions(
    int? Columns = null,
    int Padding = 2,
    int Scale = 1,
    RgbColor? Background = null,
    RgbColor? TextColor = null,
    IReadOnlyList<string>? Captions = null,
    string? Title = null,
    float FontSize = 11f)
{
    /// <summary>Default layout: square-ish, 2 px black padding, no text.</summary>
    public static GridOptions Default { get; } = new();

    /// <summary>The padding colour actually used (black when unset).</summary>
    public RgbColor BackgroundColor => Background ?? RgbColor.Black;

    /// <summary>The text colour actually used (white when unset).</summary>
    public RgbColor TextColour => TextColor ?? RgbColor.White;

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public GridOptions Validate()
    {
        if (Columns is <= 0) throw new GanSharpException($"Grid columns must be positive (got {Columns}).");
        if (Padding < 0 || Padding > 256) throw new GanSharpException($"Grid padding must be 0..256 pixels (got {Padding}).");
        if (Scale < 1 || Scale > 32) throw new GanSharpException($"Grid scale must be 1..32 (got {Scale}).");
        if (!(FontSize >= 4f && FontSize <= 128f)) throw new GanSharpException($"Grid font size must be 4..128 pixels (got {FontSize}).");
        return this;
    }
}
