using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>
/// Decoded pixels, channel-major: <see cref="Pixels"/> holds <c>Channels*Height*Width</c> floats in [-1, 1]
/// (CHW order) and <see cref="Alpha"/>, when alpha was split off, <c>Height*Width</c> floats in [0, 1].
/// </summary>
public sealed class DecodedImage
{
    /// <summary>Wraps pixel arrays; checks their lengths.</summary>
    public DecodedImage(int channels, int height, int width, float[] pixels, float[]? alpha = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 or 3 channels");
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), "size must be positive");
        if (pixels.Length != channels * height * width) throw new ArgumentException($"expected {channels * height * width} pixels, got {pixels.Length}", nameof(pixels));
        if (alpha != null && alpha.Length != height * width) throw new ArgumentException($"expected {height * width} alpha values, got {alpha.Length}", nameof(alpha));
        Channels = channels; Height = height; Width = width; Pixels = pixels; Alpha = alpha;
    }

    /// <summary>1 (gray) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>CHW floats in [-1, 1].</summary>
    public float[] Pixels { get; }

    /// <summary>HW floats in [0, 1] when alpha was split off, else null.</summary>
    public float[]? Alpha { get; }

    /// <summary>The pixels as a new float32 tensor on the CPU.</summary>
    public Tensor ToTensor() => tensor(Pixels, new long[] { Channels, Height, Width }); // [C, H, W]

    /// <summary>The alpha mask as a new float32 tensor <c>[1, H, W]</c>; throws when alpha was not split off.</summary>
    public Tensor AlphaToTensor() =>
        tensor(Alpha ?? throw new InvalidOperationException("This image was read without AlphaPolicy.Split."), new long[] { 1, Height, Width }); // [1, H, W]
}
