namespace GanSharp.Imaging;

/// <summary>The channels an image is read into.</summary>
public enum ImageMode
{
    /// <summary>One channel: luminance (Rec. 601 weights) of the RGB image after alpha compositing.</summary>
    Gray = 1,

    /// <summary>Three channels: red, green, blue.</summary>
    Rgb = 3,
}

/// <summary>What to do with an alpha channel.</summary>
public enum AlphaPolicy
{
    /// <summary>Composite the image over <see cref="ImageReadOptions.Background"/>; no alpha is returned.</summary>
    Composite,

    /// <summary>
    /// Keep colour and alpha apart: colour un-premultiplied, alpha returned as a <c>[1, H, W]</c> mask in [0, 1].
    /// An image without an alpha channel is refused (it has nothing to split).
    /// </summary>
    Split,
}

/// <summary>How an image is fitted to a target size whose aspect ratio may differ.</summary>
public enum ResizePolicy
{
    /// <summary>Scale width and height independently to the target; distorts the aspect ratio.</summary>
    Stretch,

    /// <summary>Scale so the image covers the target, then cut the overhang equally from both sides.</summary>
    CenterCrop,

    /// <summary>Scale so the whole image fits, then pad equally on both sides with the background (transparent when splitting alpha).</summary>
    Letterbox,
}

/// <summary>Helpers for <see cref="ImageMode"/>.</summary>
public static class ImageModes
{
    /// <summary>The number of channels of a mode: 1 or 3.</summary>
    public static int Channels(this ImageMode mode) => mode switch
    {
        ImageMode.Gray => 1,
        ImageMode.Rgb => 3,
        _ => throw new GanSharpException($"Unknown image mode {(int)mode}."),
    };

    /// <summary>The mode with <paramref name="channels"/> channels; refuses anything but 1 or 3.</summary>
    public static ImageMode FromChannels(int channels) => channels switch
    {
        1 => ImageMode.Gray,
        3 => ImageMode.Rgb,
        _ => throw new GanSharpException($"Unsupported channel count {channels}: images are read as 1 (gray) or 3 (RGB) channels.",
            "Use 1 or 3 channels; an alpha channel is composited or split off with AlphaPolicy."),
    };
}
