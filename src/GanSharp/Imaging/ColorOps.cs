using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>Small colour and range conversions on image tensors (<c>[C, H, W]</c> or <c>[N, C, H, W]</c>).</summary>
public static class ColorOps
{
    /// <summary>
    /// Luminance (Rec. 601: 0.299 R + 0.587 G + 0.114 B) of RGB images; the channel dimension becomes 1.
    /// A gray input is returned unchanged (as a new reference). Works in either value range (the weights sum to 1).
    /// </summary>
    public static Tensor RgbToGray(Tensor images)
    {
        int cdim = ChannelDim(images);
        long c = images.shape[cdim];
        if (c == 1) return images.alias();
        if (c != 3) throw new GanSharpException($"RgbToGray needs 1 or 3 channels, got {c} in [{string.Join(", ", images.shape)}].");
        var parts = images.unbind(cdim); // 3 × [N?, H, W]
        using var r = parts[0]; using var g = parts[1]; using var b = parts[2];
        return (r * PixelConvert.LumaR + g * PixelConvert.LumaG + b * PixelConvert.LumaB).unsqueeze(cdim); // [N?, 1, H, W]
    }

    /// <summary>Repeats a gray channel three times; an RGB input is returned unchanged.</summary>
    public static Tensor GrayToRgb(Tensor images)
    {
        int cdim = ChannelDim(images);
        long c = images.shape[cdim];
        if (c == 3) return images.alias();
        if (c != 1) throw new GanSharpException($"GrayToRgb needs 1 or 3 channels, got {c} in [{string.Join(", ", images.shape)}].");
        var repeats = Enumerable.Repeat(1L, (int)images.dim()).ToArray();
        repeats[cdim] = 3;
        return images.repeat(repeats); // [N?, 3, H, W]
    }

    /// <summary>[-1, 1] → [0, 1].</summary>
    public static Tensor ToUnitRange(Tensor signed) => (signed + 1) * 0.5;

    /// <summary>[0, 1] → [-1, 1].</summary>
    public static Tensor ToSignedRange(Tensor unit) => unit * 2 - 1;

    /// <summary>[-1, 1] → 8-bit values 0..255 as a uint8 tensor (rounded, clamped).</summary>
    public static Tensor ToBytes(Tensor signed) => ((signed + 1) * 127.5).round().clamp(0, 255).to_type(ScalarType.Byte);

    /// <summary>uint8 (or any) 0..255 values → float32 in [-1, 1].</summary>
    public static Tensor FromBytes(Tensor bytes) => bytes.to_type(ScalarType.Float32) / 127.5 - 1;

    static int ChannelDim(Tensor images) => images.dim() switch
    {
        3 => 0,
        4 => 1,
        _ => throw new GanSharpException($"Expected an image tensor [C, H, W] or [N, C, H, W], got [{string.Join(", ", images.shape)}]."),
    };
}
