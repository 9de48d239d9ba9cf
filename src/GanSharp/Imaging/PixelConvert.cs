namespace GanSharp.Imaging;

/// <summary>Conversions between 8-bit channel values and the float ranges the library uses.</summary>
public static class PixelConvert
{
    /// <summary>Rec. 601 luma weights, the same as PIL's <c>convert("L")</c>.</summary>
    public const float LumaR = 0.299f, LumaG = 0.587f, LumaB = 0.114f;

    /// <summary>0..255 → [-1, 1].</summary>
    public static float ByteToSigned(float b) => b / 127.5f - 1f;

    /// <summary>[-1, 1] → 0..255, rounded and clamped. NaN must be rejected by the caller.</summary>
    public static byte SignedToByte(float v) => (byte)Math.Clamp((int)MathF.Round((v + 1f) * 127.5f), 0, 255);

    /// <summary>[0, 1] → 0..255, rounded and clamped.</summary>
    public static byte UnitToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    /// <summary>
    /// Premultiplied RGBA8888 bytes → CHW floats in [-1, 1] (1 or 3 channels) and, when <paramref name="alpha"/> is
    /// given, alpha in [0, 1]. With <paramref name="unpremultiply"/> colour is divided by alpha (for split alpha);
    /// otherwise the image is taken as opaque (already composited).
    /// </summary>
    public static void RgbaToChw(ReadOnlySpan<byte> rgba, int pixelCount, int channels, Span<float> chw, Span<float> alpha, bool unpremultiply)
    {
        for (int i = 0; i < pixelCount; i++)
        {
            int o = 4 * i;
            float r = rgba[o], g = rgba[o + 1], b = rgba[o + 2], a = rgba[o + 3];
            if (unpremultiply)
            {
                if (a == 0) { r = g = b = 0; }
                else if (a < 255) { float k = 255f / a; r = MathF.Min(255f, MathF.Round(r * k)); g = MathF.Min(255f, MathF.Round(g * k)); b = MathF.Min(255f, MathF.Round(b * k)); }
            }
            if (channels == 1)
                chw[i] = ByteToSigned(LumaR * r + LumaG * g + LumaB * b);
            else
            {
                chw[i] = ByteToSigned(r);
                chw[pixelCount + i] = ByteToSigned(g);
                chw[2 * pixelCount + i] = ByteToSigned(b);
            }
            if (!alpha.IsEmpty) alpha[i] = a / 255f;
        }
    }
}
