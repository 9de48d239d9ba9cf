using GanSharp.Diagnostics;
using SkiaSharp;

namespace GanSharp.Imaging;

/// <summary>
/// The typeface used for grid captions and titles. SkiaSharp's NoDependencies native build has no fontconfig,
/// so <see cref="SKTypeface.Default"/> may have no glyphs on Linux; a TrueType file is loaded directly instead:
/// <c>$GANSHARP_FONT</c>, then DejaVu Sans (Debian package <c>fonts-dejavu-core</c>) and a few common system fonts,
/// then the default. A candidate is used only if it actually draws a glyph; when none does, text is skipped.
/// </summary>
public static class CaptionFont
{
    /// <summary>Where Debian 12 (package <c>fonts-dejavu-core</c>) puts DejaVu Sans.</summary>
    public const string DebianDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    static readonly string[] Candidates =
    {
        DebianDejaVuSans,
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/Library/Fonts/Arial.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    };

    static readonly Lazy<(SKTypeface? Typeface, string? Source)> Loaded = new(Load);

    /// <summary>The working typeface, or null when no candidate draws glyphs.</summary>
    public static SKTypeface? Typeface => Loaded.Value.Typeface;

    /// <summary>Where the typeface came from (a file path or <c>default</c>), or null.</summary>
    public static string? Source => Loaded.Value.Source;

    /// <summary>True when captions and titles can be drawn.</summary>
    public static bool IsAvailable => Typeface != null;

    static (SKTypeface?, string?) Load()
    {
        var paths = new List<string>();
        var env = Environment.GetEnvironmentVariable("GANSHARP_FONT");
        if (!string.IsNullOrWhiteSpace(env)) paths.Add(env.Trim());
        paths.AddRange(Candidates);
        foreach (var path in paths)
        {
            if (!File.Exists(path)) continue;
            SKTypeface? tf = null;
            try { tf = SKTypeface.FromFile(path); }
            catch (Exception) { /* unreadable font file: try the next */ }
            if (tf != null && DrawsGlyphs(tf)) return (tf, path);
            tf?.Dispose();
        }
        try
        {
            var fallback = SKTypeface.Default;
            if (fallback != null && DrawsGlyphs(fallback)) return (fallback, "default");
        }
        catch (Exception) { /* no default typeface in this native build */ }
        Log.Warn("no usable font found for image captions; captions and titles are skipped (install the Debian package fonts-dejavu-core or set GANSHARP_FONT)");
        return (null, null);
    }

    /// <summary>True when <paramref name="typeface"/> maps and actually rasterises a test string.</summary>
    internal static bool DrawsGlyphs(SKTypeface typeface)
    {
        using var font = new SKFont(typeface, 16) { Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        if (typeface.GlyphCount <= 0 || !font.ContainsGlyphs("Ag0")) return false;
        using var bitmap = new SKBitmap(new SKImageInfo(32, 24, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawText("A", 4, 18, SKTextAlign.Left, font, paint);
        }
        foreach (var b in bitmap.GetPixelSpan()) if (b != 0) return true;
        return false;
    }
}
