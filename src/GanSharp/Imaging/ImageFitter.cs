using SkiaSharp;

namespace GanSharp.Imaging;

/// <summary>Source and destination rectangles of a <see cref="ResizePolicy"/>, in pixels.</summary>
/// <param name="Source">The part of the source image that is drawn.</param>
/// <param name="Destination">Where it lands in the target; outside it is padding.</param>
public readonly record struct FitRects(SKRect Source, SKRect Destination);

/// <summary>Fits a bitmap to a target size under a <see cref="ResizePolicy"/> with Skia's high-quality filtering.</summary>
public static class ImageFitter
{
    /// <summary>The rectangles <paramref name="policy"/> maps a <paramref name="srcWidth"/>×<paramref name="srcHeight"/> image with.</summary>
    public static FitRects Plan(int srcWidth, int srcHeight, int width, int height, ResizePolicy policy)
    {
        var full = SKRect.Create(0, 0, srcWidth, srcHeight);
        var target = SKRect.Create(0, 0, width, height);
        switch (policy)
        {
            case ResizePolicy.Stretch:
                return new FitRects(full, target);
            case ResizePolicy.CenterCrop:
            {
                double scale = Math.Max((double)width / srcWidth, (double)height / srcHeight);
                double cw = width / scale, ch = height / scale;
                return new FitRects(SKRect.Create((float)((srcWidth - cw) / 2), (float)((srcHeight - ch) / 2), (float)cw, (float)ch), target);
            }
            case ResizePolicy.Letterbox:
            {
                double scale = Math.Min((double)width / srcWidth, (double)height / srcHeight);
                // Whole-pixel destination so the image edge is sharp and the padding exactly background.
                int dw = Math.Clamp((int)Math.Round(srcWidth * scale), 1, width), dh = Math.Clamp((int)Math.Round(srcHeight * scale), 1, height);
                return new FitRects(full, SKRect.Create((width - dw) / 2, (height - dh) / 2, dw, dh));
            }
            default:
                throw new GanSharpException($"Unknown resize policy {(int)policy}.");
        }
    }

    /// <summary>
    /// Draws <paramref name="source"/> (premultiplied RGBA) into a new <paramref name="width"/>×<paramref name="height"/>
    /// premultiplied RGBA bitmap cleared to <paramref name="clear"/>. Downscaling uses mipmaps and upscaling bicubic
    /// filtering (Skia's high filter quality); a same-size stretch copies exactly.
    /// </summary>
    public static SKBitmap Fit(SKBitmap source, int width, int height, ResizePolicy policy, SKColor clear)
    {
        var rects = Plan(source.Width, source.Height, width, height, policy);
        var result = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        canvas.Clear(clear);
        bool identity = rects.Source.Size == rects.Destination.Size && rects.Source.Left == MathF.Floor(rects.Source.Left) && rects.Source.Top == MathF.Floor(rects.Source.Top);
        bool shrinks = rects.Destination.Width < rects.Source.Width || rects.Destination.Height < rects.Source.Height;
        var sampling = identity ? new SKSamplingOptions(SKFilterMode.Nearest)
            : shrinks ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var image = SKImage.FromBitmap(source);
        using var paint = new SKPaint { IsAntialias = false, BlendMode = SKBlendMode.SrcOver };
        canvas.DrawImage(image, rects.Source, rects.Destination, sampling, paint);
        canvas.Flush();
        return result;
    }
}
