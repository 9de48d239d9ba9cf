using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// Super-resolution: <c>A(x)</c> is area (average-pool) downsampling by <see cref="Scale"/>; the image sides must be
/// divisible by the scale (28 px: ×2 → 14 px, ×4 → 7 px).
/// </summary>
public sealed class DownsampleDegradation : IDegradation
{
    /// <summary>Downsampling by <paramref name="scale"/> (2 or 4).</summary>
    public DownsampleDegradation(int scale)
    {
        if (scale is not (2 or 4)) throw new GanSharpException($"super-resolution scale {scale}; must be 2 or 4");
        Scale = scale;
    }

    /// <summary>The downsampling factor.</summary>
    public int Scale { get; }

    /// <inheritdoc />
    public string Name => $"sr{Scale}";

    /// <inheritdoc />
    public ImageShape ObservedShape(ImageShape image)
    {
        if (image.Height % Scale != 0 || image.Width % Scale != 0)
            throw new GanSharpException($"super-resolution ×{Scale} needs image sides divisible by {Scale}; the images are {image.Width}x{image.Height}");
        return new ImageShape(image.Channels, image.Height / Scale, image.Width / Scale);
    }

    /// <inheritdoc />
    public Tensor Apply(Tensor images)
    {
        ObservedShape(new ImageShape((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]));
        return F.avg_pool2d(images, Scale); // [N, C, H/s, W/s]
    }

    /// <inheritdoc />
    public Tensor Observe(Tensor clean, Generator? rng = null) => Apply(clean);

    /// <inheritdoc />
    /// <remarks>Nearest-neighbour upsampling, so the figure shows the low-resolution pixels as blocks.</remarks>
    public Tensor Display(Tensor observation, ImageShape image) =>
        F.interpolate(observation, new long[] { image.Height, image.Width }, mode: InterpolationMode.Nearest).clamp(-1, 1);

    /// <inheritdoc />
    /// <remarks>
    /// Back-projection: the low-resolution error is added back block-wise, <c>x′ = x + up(y − A(x))</c> with
    /// nearest-neighbour <c>up</c>, so that <c>A(x′) = y</c> exactly (before clamping to [-1, 1]): the generator supplies
    /// the detail inside each block, the observation its mean.
    /// </remarks>
    public Tensor Consistent(Tensor restored, Tensor observation)
    {
        using var scope = NewDisposeScope();
        var error = observation - Apply(restored);                                                                 // [N, C, H/s, W/s]
        var up = F.interpolate(error, new long[] { restored.shape[2], restored.shape[3] }, mode: InterpolationMode.Nearest);
        return (restored + up).clamp(-1, 1).MoveToOuterDisposeScope();
    }
}
