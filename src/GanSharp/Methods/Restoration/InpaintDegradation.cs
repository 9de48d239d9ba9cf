using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// Inpainting: <c>A(x) = x ⊙ m</c> with a binary mask m (1 = known pixel, 0 = missing), shared by every image and
/// channel. Missing pixels of the observation are 0 (mid gray in [-1, 1]).
/// </summary>
public sealed class InpaintDegradation : IDegradation
{
    readonly Tensor mask; // [1, 1, H, W]

    /// <summary>Inpainting with <paramref name="mask"/> <c>[H, W]</c>, <c>[1, H, W]</c> or <c>[1, 1, H, W]</c>, values 0 or 1.</summary>
    public InpaintDegradation(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dim() is < 2 or > 4 || mask.shape.Take((int)mask.dim() - 2).Any(d => d != 1))
            throw new GanSharpException($"inpainting mask must be [H, W], [1, H, W] or [1, 1, H, W], got [{string.Join(", ", mask.shape)}]");
        using var scope = NewDisposeScope();
        var m = mask.detach().to(ScalarType.Float32).reshape(1, 1, mask.shape[^2], mask.shape[^1]);
        if (!(m.eq(0) | m.eq(1)).all().item<bool>()) throw new GanSharpException("inpainting mask must contain only 0 (missing) and 1 (known)");
        double known = m.mean().item<float>();
        if (known == 0) throw new GanSharpException("inpainting mask marks every pixel as missing", "1 (white) marks known pixels; pass --mask-invert if the hole is white");
        this.mask = m.DetachFromDisposeScope(); // lives as long as the operator
        KnownFraction = known;
    }

    /// <summary>A mask that hides a centred box covering <paramref name="fraction"/> of the side (default: the middle half).</summary>
    public static InpaintDegradation CentreBox(ImageShape image, double fraction = 0.5)
    {
        if (!(fraction > 0 && fraction < 1)) throw new GanSharpException($"inpainting box fraction {fraction}; must be in (0, 1)");
        int bh = Math.Max(1, (int)Math.Round(image.Height * fraction)), bw = Math.Max(1, (int)Math.Round(image.Width * fraction));
        int top = (image.Height - bh) / 2, left = (image.Width - bw) / 2;
        using var scope = NewDisposeScope();
        var m = ones(image.Height, image.Width);
        m[top..(top + bh), left..(left + bw)] = zeros(bh, bw);
        return new InpaintDegradation(m);
    }

    /// <summary>The mask, 1 = known. // [1, 1, H, W]</summary>
    public Tensor Mask => mask;

    /// <summary>The fraction of known pixels.</summary>
    public double KnownFraction { get; }

    /// <inheritdoc />
    public string Name => "inpaint";

    /// <inheritdoc />
    public ImageShape ObservedShape(ImageShape image)
    {
        if (image.Height != mask.shape[2] || image.Width != mask.shape[3])
            throw new GanSharpException($"inpainting mask is {mask.shape[3]}x{mask.shape[2]} but the images are {image.Width}x{image.Height}",
                "give a mask of the generator's size (masks are resized nearest-neighbour when read with a target size)");
        return image;
    }

    /// <inheritdoc />
    public Tensor Apply(Tensor images)
    {
        ObservedShape(new ImageShape((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]));
        return images * mask.to(images.dtype, images.device); // [N, C, H, W]
    }

    /// <inheritdoc />
    public Tensor Observe(Tensor clean, Generator? rng = null) => Apply(clean);

    /// <inheritdoc />
    public Tensor Display(Tensor observation, ImageShape image) => observation.clamp(-1, 1);

    /// <summary>
    /// Restored pixels where the mask is 0 and observed pixels where it is 1.
    /// </summary>
    /// <param name="restored">// [N, C, H, W]</param>
    /// <param name="observation">// [N, C, H, W]</param>
    public Tensor PasteKnown(Tensor restored, Tensor observation)
    {
        var m = mask.to(restored.dtype, restored.device);
        return observation * m + restored * (1 - m);
    }

    /// <inheritdoc />
    /// <remarks><see cref="PasteKnown"/>.</remarks>
    public Tensor Consistent(Tensor restored, Tensor observation) => PasteKnown(restored, observation);
}
