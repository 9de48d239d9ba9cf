using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>Which value of a mask image decides foreground.</summary>
public enum MaskSource
{
    /// <summary>Alpha when the image has an alpha channel, otherwise luminance.</summary>
    Auto,

    /// <summary>Luminance of the colour (alpha ignored): white is 1.</summary>
    Luminance,

    /// <summary>The alpha channel: opaque is 1. Refused for images without alpha.</summary>
    Alpha,
}

/// <summary>How a PNG (or other image) is read as a binary mask.</summary>
/// <param name="Source">Which channel decides foreground.</param>
/// <param name="Threshold">A pixel is 1 when its value in [0, 1] is ≥ this.</param>
/// <param name="Invert">Swap 0 and 1 (e.g. for masks that mark the hole in black).</param>
/// <param name="Width">Target width, or null for the image's own size (with <paramref name="Height"/>).</param>
/// <param name="Height">Target height, or null.</param>
/// <param name="Limits">Header checks; null for <see cref="ImageLimits.Default"/>.</param>
public sealed record MaskOptions(MaskSource Source = MaskSource.Auto, float Threshold = 0.5f, bool Invert = false,
    int? Width = null, int? Height = null, ImageLimits? Limits = null)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public MaskOptions Validate()
    {
        if (!Enum.IsDefined(Source)) throw new GanSharpException($"Unknown mask source {(int)Source}.");
        if (!(Threshold > 0f && Threshold <= 1f)) throw new GanSharpException($"Mask threshold must be in (0, 1] (got {Threshold}).");
        if (Width.HasValue != Height.HasValue) throw new GanSharpException("Mask target size needs both a width and a height (or neither).");
        if (Width is <= 0 || Height is <= 0) throw new GanSharpException($"Mask target size must be positive (got {Width}x{Height}).");
        (Limits ?? ImageLimits.Default).Validate();
        return this;
    }
}

/// <summary>Reads binary masks <c>[1, H, W]</c> in {0, 1}; resizing is nearest-neighbour so values stay binary.</summary>
public static class MaskReader
{
    /// <summary>Reads <paramref name="path"/> as a mask: HW bytes 0 or 1, row-major.</summary>
    public static byte[] ReadBinary(string path, MaskOptions? options, out int height, out int width)
    {
        var o = (options ?? new MaskOptions()).Validate();
        return DecodeBinary(SkiaDecoder.ReadFileBytes(path, o.Limits ?? ImageLimits.Default), path, o, out height, out width);
    }

    /// <summary>Decodes in-memory image bytes as a mask: HW bytes 0 or 1, row-major; <paramref name="path"/> names them in errors.</summary>
    public static byte[] DecodeBinary(byte[] bytes, string path, MaskOptions? options, out int height, out int width)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var o = (options ?? new MaskOptions()).Validate();
        var limits = o.Limits ?? ImageLimits.Default;
        using var codec = SkiaDecoder.Open(bytes, path, limits, out var header);
        var source = o.Source == MaskSource.Auto ? (header.HasAlpha ? MaskSource.Alpha : MaskSource.Luminance) : o.Source;
        if (source == MaskSource.Alpha && !header.HasAlpha)
            throw new GanSharpException($"Mask '{path}' has {header.SourceChannels} channel(s) and no alpha; MaskSource.Alpha needs an alpha channel.",
                "Use MaskSource.Luminance (white = 1) or Auto.");
        using var bitmap = SkiaDecoder.DecodePremul(codec, path, bytes);
        int sw = bitmap.Width, sh = bitmap.Height;
        width = o.Width ?? sw; height = o.Height ?? sh;
        var px = bitmap.GetPixelSpan();
        var result = new byte[width * height];
        float threshold = o.Threshold * 255f;
        for (int y = 0; y < height; y++)
        {
            // Nearest neighbour on pixel centres: target centre (y + 0.5) maps to source row floor((y + 0.5) * sh / height).
            int sy = Math.Min(sh - 1, (int)((y + 0.5) * sh / height));
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min(sw - 1, (int)((x + 0.5) * sw / width));
                int p = 4 * (sy * sw + sx);
                float a = px[p + 3];
                float value = source == MaskSource.Alpha
                    ? a
                    : a == 0 ? 0 : (PixelConvert.LumaR * px[p] + PixelConvert.LumaG * px[p + 1] + PixelConvert.LumaB * px[p + 2]) * 255f / a;
                bool on = value >= threshold;
                result[y * width + x] = (byte)(on != o.Invert ? 1 : 0);
            }
        }
        return result;
    }

    /// <summary>Reads <paramref name="path"/> as a float32 mask tensor <c>[1, H, W]</c> with values 0 and 1.</summary>
    public static Tensor Read(string path, MaskOptions? options = null)
    {
        var bits = ReadBinary(path, options, out int h, out int w);
        var values = new float[bits.Length];
        for (int i = 0; i < bits.Length; i++) values[i] = bits[i];
        return tensor(values, new long[] { 1, h, w }); // [1, H, W]
    }
}
