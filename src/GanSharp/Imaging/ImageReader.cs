using SkiaSharp;
using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>
/// Reads PNG, JPEG, BMP, WebP and GIF (first frame) through SkiaSharp's codecs into float pixels in [-1, 1].
/// Missing, empty, unknown, truncated and oversized files are refused with a <see cref="GanSharpException"/>
/// that names the file; sizes are checked from the header before any pixel is decoded.
/// Thread-safe: every call uses its own codec.
/// </summary>
public static class ImageReader
{
    /// <summary>Reads only the header of <paramref name="path"/>: format, size and channels.</summary>
    public static ImageHeader ReadHeader(string path, ImageLimits? limits = null)
    {
        var l = (limits ?? ImageLimits.Default).Validate();
        using var codec = SkiaDecoder.Open(SkiaDecoder.ReadFileBytes(path, l), path, l, out var header);
        return header;
    }

    /// <summary>Reads only the header of in-memory image bytes; <paramref name="sourceName"/> is used in error messages.</summary>
    public static ImageHeader DecodeHeader(byte[] bytes, string sourceName, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var l = (limits ?? ImageLimits.Default).Validate();
        using var codec = SkiaDecoder.Open(bytes, sourceName, l, out var header);
        return header;
    }

    /// <summary>Reads <paramref name="path"/> into pixels as <paramref name="options"/> say.</summary>
    public static DecodedImage Read(string path, ImageReadOptions? options = null)
    {
        var o = (options ?? ImageReadOptions.Default).Validate();
        return Decode(SkiaDecoder.ReadFileBytes(path, o.EffectiveLimits), path, o);
    }

    /// <summary>Decodes in-memory image bytes; <paramref name="sourceName"/> is used in error messages.</summary>
    public static DecodedImage Decode(byte[] bytes, string sourceName, ImageReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var o = (options ?? ImageReadOptions.Default).Validate();
        using var codec = SkiaDecoder.Open(bytes, sourceName, o.EffectiveLimits, out var header);
        bool split = o.Alpha == AlphaPolicy.Split;
        if (split && !header.HasAlpha)
            throw new GanSharpException(
                $"Image '{sourceName}' has {header.SourceChannels} channel(s) and no alpha; AlphaPolicy.Split needs an image with an alpha channel.",
                "Read it with AlphaPolicy.Composite, or supply a PNG/WebP with transparency.");
        using var decoded = SkiaDecoder.DecodePremul(codec, sourceName, bytes);
        int width = o.Width ?? decoded.Width, height = o.Height ?? decoded.Height;
        var bg = o.BackgroundColor;
        var clear = split ? SKColors.Transparent : new SKColor(bg.R, bg.G, bg.B, 255);
        using var fitted = ImageFitter.Fit(decoded, width, height, o.Resize, clear);
        int channels = o.Mode.Channels();
        int n = width * height;
        var pixels = new float[channels * n];
        var alpha = split ? new float[n] : null;
        PixelConvert.RgbaToChw(fitted.GetPixelSpan(), n, channels, pixels, alpha, unpremultiply: split);
        return new DecodedImage(channels, height, width, pixels, alpha);
    }

    /// <summary>Reads <paramref name="path"/> into a new float32 tensor <c>[C, H, W]</c> in [-1, 1].</summary>
    public static Tensor ReadTensor(string path, ImageReadOptions? options = null) => Read(path, options).ToTensor();

    /// <summary>
    /// Reads <paramref name="path"/> with alpha split off: colour <c>[C, H, W]</c> in [-1, 1] and alpha <c>[1, H, W]</c>
    /// in [0, 1]. Refuses an image without an alpha channel.
    /// </summary>
    public static (Tensor Pixels, Tensor Alpha) ReadTensorWithAlpha(string path, ImageReadOptions? options = null)
    {
        var image = Read(path, (options ?? ImageReadOptions.Default) with { Alpha = AlphaPolicy.Split });
        return (image.ToTensor(), image.AlphaToTensor());
    }
}
