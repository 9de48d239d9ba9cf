namespace GanSharp.Imaging;

/// <summary>How to read an image file into pixels.</summary>
/// <param name="Mode">Output channels: gray or RGB.</param>
/// <param name="Alpha">Composite alpha over <paramref name="Background"/>, or split it off as a mask.</param>
/// <param name="Width">Target width, or null to keep the decoded size (then <paramref name="Height"/> must be null too).</param>
/// <param name="Height">Target height, or null to keep the decoded size.</param>
/// <param name="Resize">How the image is fitted to the target size.</param>
/// <param name="Background">Colour under transparent pixels and in letterbox padding.</param>
/// <param name="Limits">Header checks against decompression bombs; null means <see cref="ImageLimits.Default"/>.</param>
public sealed record ImageReadOptions(
    ImageMode Mode = ImageMode.Rgb,
    AlphaPolicy Alpha = AlphaPolicy.Composite,
    int? Width = null,
    int? Height = null,
    ResizePolicy Resize = ResizePolicy.CenterCrop,
    RgbColor? Background = null,
    ImageLimits? Limits = null)
{
    /// <summary>RGB, alpha composited on white, native size.</summary>
    public static ImageReadOptions Default { get; } = new();

    /// <summary>The background actually used (white when unset).</summary>
    public RgbColor BackgroundColor => Background ?? RgbColor.White;

    /// <summary>The limits actually used.</summary>
    public ImageLimits EffectiveLimits => Limits ?? ImageLimits.Default;

    /// <summary>These options with a target size.</summary>
    public ImageReadOptions WithSize(int width, int height) => this with { Width = width, Height = height };

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public ImageReadOptions Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new GanSharpException($"Unknown image mode {(int)Mode}.");
        if (!Enum.IsDefined(Alpha)) throw new GanSharpException($"Unknown alpha policy {(int)Alpha}.");
        if (!Enum.IsDefined(Resize)) throw new GanSharpException($"Unknown resize policy {(int)Resize}.");
        if (Width.HasValue != Height.HasValue)
            throw new GanSharpException("Image target size needs both a width and a height (or neither).");
        if (Width is <= 0 || Height is <= 0)
            throw new GanSharpException($"Image target size must be positive (got {Width}x{Height}).");
        var limits = EffectiveLimits.Validate();
        if (Width > limits.MaxWidth || Height > limits.MaxHeight || (long)(Width ?? 0) * (Height ?? 0) > limits.MaxPixels)
            throw new GanSharpException($"Image target size {Width}x{Height} exceeds the limits ({limits.MaxWidth}x{limits.MaxHeight}, {limits.MaxPixels} pixels).");
        return this;
    }
}
