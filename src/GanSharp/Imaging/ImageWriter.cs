using GanSharp.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>
/// Writes image tensors in [-1, 1] as PNG files, atomically (temporary file in the same folder, then rename).
/// Tensors with NaN or infinite values are refused before anything is written.
/// </summary>
public static class ImageWriter
{
    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="path"/> as PNG: <c>[C, H, W]</c> as one image,
    /// <c>[N, C, H, W]</c> as a grid with default <see cref="GridOptions"/>. Gray (C = 1) is written as a gray PNG.
    /// </summary>
    public static void WritePng(Tensor image, string path)
    {
        if (image.dim() == 4) { SampleGrid.WritePng(image, path); return; }
        AtomicFile.WriteAllBytes(path, EncodePng(image, path));
    }

    /// <summary>Encodes <paramref name="image"/> <c>[C, H, W]</c> in [-1, 1] as PNG bytes.</summary>
    public static byte[] EncodePng(Tensor image) => EncodePng(image, "image");

    /// <summary>Writes decoded pixels back to a PNG file (alpha is dropped).</summary>
    public static void WritePng(DecodedImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = ToBitmap(image.Pixels, 0, image.Channels, image.Height, image.Width);
        AtomicFile.WriteAllBytes(path, Encode(bitmap, path));
    }

    static byte[] EncodePng(Tensor image, string what)
    {
        if (image.dim() != 3)
            throw new GanSharpException($"Cannot write '{what}': expected one image [C, H, W], got [{string.Join(", ", image.shape)}]; use SampleGrid for batches.");
        var data = TensorPixels.ToArray(image, $"'{what}'", out _, out int c, out int h, out int w);
        using var bitmap = ToBitmap(data, 0, c, h, w);
        return Encode(bitmap, what);
    }

    /// <summary>
    /// One image from <paramref name="chw"/> starting at <paramref name="offset"/> as an opaque bitmap:
    /// gray as <see cref="SKColorType.Gray8"/>, RGB as RGBA8888.
    /// </summary>
    internal static SKBitmap ToBitmap(ReadOnlySpan<float> chw, int offset, int channels, int height, int width)
    {
        int n = height * width;
        var plane = chw.Slice(offset, channels * n);
        if (channels == 1)
        {
            var gray = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
            var dst = Span(gray, n);
            for (int i = 0; i < n; i++) dst[i] = PixelConvert.SignedToByte(plane[i]);
            return gray;
        }
        var rgba = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var px = Span(rgba, 4 * n);
        for (int i = 0; i < n; i++)
        {
            px[4 * i] = PixelConvert.SignedToByte(plane[i]);
            px[4 * i + 1] = PixelConvert.SignedToByte(plane[n + i]);
            px[4 * i + 2] = PixelConvert.SignedToByte(plane[2 * n + i]);
            px[4 * i + 3] = 255;
        }
        return rgba;
    }

    static unsafe Span<byte> Span(SKBitmap bitmap, int length)
    {
        if (bitmap.RowBytes * bitmap.Height != length) throw new InvalidOperationException("unexpected row padding");
        return new Span<byte>((void*)bitmap.GetPixels(), length);
    }

    /// <summary>PNG bytes of <paramref name="bitmap"/>.</summary>
    internal static byte[] Encode(SKBitmap bitmap, string what)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new GanSharpException($"Cannot encode '{what}' as PNG ({bitmap.Width}x{bitmap.Height}, {bitmap.ColorType}).");
        return data.ToArray();
    }
}
