using System.Globalization;

namespace GanSharp.Imaging;

/// <summary>An opaque 8-bit sRGB colour, used as the background for alpha compositing and padding.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>White (255, 255, 255).</summary>
    public static RgbColor White => new(255, 255, 255);

    /// <summary>Black (0, 0, 0).</summary>
    public static RgbColor Black => new(0, 0, 0);

    /// <summary>Parses <c>#rrggbb</c>, <c>rrggbb</c>, <c>white</c> or <c>black</c>.</summary>
    public static RgbColor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("white", StringComparison.OrdinalIgnoreCase)) return White;
        if (t.Equals("black", StringComparison.OrdinalIgnoreCase)) return Black;
        if (t.StartsWith('#')) t = t[1..];
        if (t.Length == 6 && uint.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v))
            return new RgbColor((byte)(v >> 16), (byte)(v >> 8), (byte)v);
        throw new GanSharpException($"Not a colour: '{text}'.", "Use #rrggbb, white or black.");
    }

    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";
}
