using SkiaSharp;

namespace GanSharp.Imaging;

/// <summary>
/// The one place that turns encoded bytes into an <see cref="SKBitmap"/>. Every check that can be made from the
/// header (format, dimensions, alpha) happens before a pixel buffer is allocated; every failure is a
/// <see cref="GanSharpException"/> that names the source.
/// </summary>
internal static class SkiaDecoder
{
    static readonly Dictionary<SKEncodedImageFormat, string> Supported = new()
    {
        [SKEncodedImageFormat.Png] = "png",
        [SKEncodedImageFormat.Jpeg] = "jpeg",
        [SKEncodedImageFormat.Bmp] = "bmp",
        [SKEncodedImageFormat.Webp] = "webp",
        [SKEncodedImageFormat.Gif] = "gif",
    };

    /// <summary>Reads a file's bytes after the cheap checks: exists, is a file, not empty, not above the size limit.</summary>
    public static byte[] ReadFileBytes(string path, ImageLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new GanSharpException($"Image '{path}' is a folder, not a file.");
        if (!File.Exists(path)) throw new GanSharpException($"Image file not found: '{path}'.", "Check the path and the working folder.");
        try
        {
            long length = new FileInfo(path).Length;
            if (length == 0) throw new GanSharpException($"Image '{path}' is empty (0 bytes).", "Re-download or re-export the file.");
            if (length > limits.MaxFileBytes)
                throw new GanSharpException($"Image '{path}' is {length} bytes, above the limit of {limits.MaxFileBytes} bytes.");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GanSharpException($"Image '{path}' cannot be read: {e.Message}", null, e);
        }
    }

    /// <summary>Opens a codec over <paramref name="bytes"/> and checks its header; the caller disposes the codec.</summary>
    public static SKCodec Open(byte[] bytes, string source, ImageLimits limits, out ImageHeader header)
    {
        if (bytes.Length == 0) throw new GanSharpException($"Image '{source}' is empty (0 bytes).");
        if (bytes.LongLength > limits.MaxFileBytes)
            throw new GanSharpException($"Image '{source}' is {bytes.LongLength} bytes, above the limit of {limits.MaxFileBytes} bytes.");
        SKCodec? codec;
        SKCodecResult result;
        try
        {
            codec = SKCodec.Create(new MemoryStream(bytes, writable: false), out result);
        }
        catch (Exception e) when (e is not GanSharpException)
        {
            throw new GanSharpException($"Image '{source}' is not a readable image: {e.Message}", null, e);
        }
        if (codec == null)
        {
            if (PngChunks.Diagnose(bytes) is { } png)
                throw new GanSharpException($"Image '{source}' {png}.", "Re-download or re-export the file.");
            throw result == SKCodecResult.IncompleteInput
                ? new GanSharpException($"Image '{source}' is truncated: its header is incomplete ({bytes.Length} bytes).", "Re-download or re-export the file.")
                : new GanSharpException($"'{source}' is not an image or its format is unknown ({Describe(result)}).",
                    "Supported formats: PNG, JPEG, BMP, WebP, GIF.");
        }
        try
        {
            if (!Supported.TryGetValue(codec.EncodedFormat, out var format))
                throw new GanSharpException($"Image '{source}' is in format {codec.EncodedFormat}, which is not supported.",
                    "Supported formats: PNG, JPEG, BMP, WebP, GIF.");
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0)
                throw new GanSharpException($"Image '{source}' declares invalid dimensions {info.Width}x{info.Height}.");
            if (info.Width > limits.MaxWidth || info.Height > limits.MaxHeight || (long)info.Width * info.Height > limits.MaxPixels)
                throw new GanSharpException(
                    $"Image '{source}' declares {info.Width}x{info.Height} pixels, above the limit of {limits.MaxWidth}x{limits.MaxHeight} / {limits.MaxPixels} pixels; refused before decoding (possible decompression bomb).",
                    "Resize the image to at most the limit (e.g. 4096 px a side) before giving it to GanSharp.");
            bool alpha = info.AlphaType != SKAlphaType.Opaque;
            bool gray = info.ColorType is SKColorType.Gray8 or SKColorType.Alpha8;
            header = new ImageHeader(source, format, info.Width, info.Height, alpha, (gray ? 1 : 3) + (alpha ? 1 : 0));
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    /// <summary>Decodes the first frame as premultiplied RGBA8888, EXIF orientation applied.</summary>
    /// <param name="codec">The codec over <paramref name="bytes"/>.</param>
    /// <param name="source">The file's name in messages.</param>
    /// <param name="bytes">The encoded file: a failed decode of a PNG names the damaged or missing chunk.</param>
    public static SKBitmap DecodePremul(SKCodec codec, string source, byte[] bytes)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        try
        {
            SKCodecResult r;
            try
            {
                r = codec.GetPixels(info, bitmap.GetPixels());
            }
            catch (Exception e)
            {
                throw new GanSharpException($"Image '{source}' cannot be decoded: {e.Message}", null, e);
            }
            switch (r)
            {
                case SKCodecResult.Success: break;
                case SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput when PngChunks.Diagnose(bytes) is { } png:
                    throw new GanSharpException($"Image '{source}' {png}.", "Re-download or re-export the file.");
                case SKCodecResult.IncompleteInput:
                    throw new GanSharpException($"Image '{source}' is truncated: its pixel data ends early.", "Re-download or re-export the file.");
                case SKCodecResult.ErrorInInput:
                    throw new GanSharpException($"Image '{source}' is corrupt: its pixel data has errors.", "Re-download or re-export the file.");
                default:
                    throw new GanSharpException($"Image '{source}' cannot be decoded ({Describe(r)}).");
            }
            return Orient(bitmap, codec.EncodedOrigin);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    static string Describe(SKCodecResult r) => r switch
    {
        SKCodecResult.Unimplemented => "no decoder recognises its signature",
        SKCodecResult.InvalidInput => "invalid input",
        SKCodecResult.ErrorInInput => "errors in the data",
        SKCodecResult.IncompleteInput => "incomplete data",
        _ => r.ToString(),
    };

    /// <summary>Applies an EXIF orientation by remapping pixels (exact, no resampling); disposes the input when it changes.</summary>
    static SKBitmap Orient(SKBitmap stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || (int)origin < 1 || (int)origin > 8) return stored;
        int w = stored.Width, h = stored.Height;
        bool swap = (int)origin >= 5;
        int dw = swap ? h : w, dh = swap ? w : h;
        var shown = new SKBitmap(new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Premul));
        var src = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(stored.GetPixelSpan());
        unsafe
        {
            var dst = new Span<uint>((void*)shown.GetPixels(), dw * dh);
            for (int dy = 0; dy < dh; dy++)
                for (int dx = 0; dx < dw; dx++)
                {
                    // Inverse map: the stored pixel that appears at (dx, dy) once displayed.
                    (int sx, int sy) = origin switch
                    {
                        SKEncodedOrigin.TopRight => (w - 1 - dx, dy),
                        SKEncodedOrigin.BottomRight => (w - 1 - dx, h - 1 - dy),
                        SKEncodedOrigin.BottomLeft => (dx, h - 1 - dy),
                        SKEncodedOrigin.LeftTop => (dy, dx),
                        SKEncodedOrigin.RightTop => (dy, h - 1 - dx),
                        SKEncodedOrigin.RightBottom => (w - 1 - dy, h - 1 - dx),
                        _ => (w - 1 - dy, dx), // LeftBottom
                    };
                    dst[dy * dw + dx] = src[sy * w + sx];
                }
        }
        stored.Dispose();
        return shown;
    }
}
