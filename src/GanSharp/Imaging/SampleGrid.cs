using GanSharp.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>Renders a batch <c>[N, C, H, W]</c> in [-1, 1] as one PNG grid with optional captions and title.</summary>
public static class SampleGrid
{
    /// <summary>The layout <paramref name="images"/> <c>[N, C, H, W]</c> would get, with text as this machine can draw it.</summary>
    public static GridLayout LayoutOf(Tensor images, GridOptions? options = null)
    {
        if (images.dim() != 4) throw new GanSharpException($"A grid needs a batch [N, C, H, W], got [{string.Join(", ", images.shape)}].");
        var o = options ?? GridOptions.Default;
        return GridLayout.Compute((int)images.shape[0], (int)images.shape[2], (int)images.shape[3], o, CaptionFont.IsAvailable);
    }

    /// <summary>Encodes the grid of <paramref name="images"/> <c>[N, C, H, W]</c> as PNG bytes.</summary>
    public static byte[] EncodePng(Tensor images, GridOptions? options = null) => EncodePng(images, options, "sample grid");

    /// <summary>Writes the grid of <paramref name="images"/> <c>[N, C, H, W]</c> to <paramref name="path"/> atomically.</summary>
    public static void WritePng(Tensor images, string path, GridOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, EncodePng(images, options, $"'{path}'"));

    static byte[] EncodePng(Tensor images, GridOptions? options, string what)
    {
        if (images.dim() != 4) throw new GanSharpException($"Cannot write {what}: a grid needs a batch [N, C, H, W], got [{string.Join(", ", images.shape)}].");
        var o = (options ?? GridOptions.Default).Validate();
        var data = TensorPixels.ToArray(images, what, out int n, out int c, out int h, out int w); // [N, C, H, W]
        var typeface = CaptionFont.Typeface;
        var layout = GridLayout.Compute(n, h, w, o, typeface != null);
        using var grid = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(grid))
        {
            var bg = o.BackgroundColor;
            canvas.Clear(new SKColor(bg.R, bg.G, bg.B));
            using var cellPaint = new SKPaint { IsAntialias = false };
            var nearest = new SKSamplingOptions(SKFilterMode.Nearest);
            for (int i = 0; i < n; i++)
            {
                using var cell = ImageWriter.ToBitmap(data, i * c * h * w, c, h, w);
                using var image = SKImage.FromBitmap(cell);
                var dst = SKRect.Create(layout.CellX(i), layout.CellY(i), layout.CellWidth, layout.CellHeight);
                canvas.DrawImage(image, dst, nearest, cellPaint);
            }
            if (typeface != null) DrawText(canvas, layout, o, typeface);
        }
        return ImageWriter.Encode(grid, what);
    }

    static void DrawText(SKCanvas canvas, GridLayout layout, GridOptions o, SKTypeface typeface)
    {
        var tc = o.TextColour;
        using var font = new SKFont(typeface, o.FontSize) { Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { Color = new SKColor(tc.R, tc.G, tc.B), IsAntialias = true };
        if (layout.CaptionHeight > 0 && o.Captions != null)
        {
            for (int i = 0; i < Math.Min(layout.Count, o.Captions.Count); i++)
            {
                var text = Fit(o.Captions[i] ?? "", font, layout.CellWidth);
                if (text.Length == 0) continue;
                float x = layout.CellX(i) + (layout.CellWidth - font.MeasureText(text)) / 2f;
                float y = layout.CellY(i) + layout.CellHeight + o.FontSize * 1.05f;
                canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
            }
        }
        if (layout.TitleHeight > 0 && !string.IsNullOrWhiteSpace(o.Title))
        {
            font.Size = o.FontSize * 1.25f;
            var title = Fit(o.Title, font, layout.Width - 2 * layout.Padding);
            float x = (layout.Width - font.MeasureText(title)) / 2f;
            canvas.DrawText(title, Math.Max(layout.Padding, x), layout.TitleHeight * 0.5f + font.Size * 0.4f + layout.Padding / 2f, SKTextAlign.Left, font, paint);
        }
    }

    /// <summary>Shortens <paramref name="text"/> with an ellipsis until it fits in <paramref name="width"/> pixels.</summary>
    static string Fit(string text, SKFont font, float width)
    {
        text = text.ReplaceLineEndings(" ");
        if (font.MeasureText(text) <= width) return text;
        for (int len = text.Length - 1; len > 0; len--)
        {
            var t = text[..len] + "…";
            if (font.MeasureText(t) <= width) return t;
        }
        return "";
    }
}
