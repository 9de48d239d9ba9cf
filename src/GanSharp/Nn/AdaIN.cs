using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Adaptive instance normalisation with a learned style affine:
/// <c>AdaIN(x, w) = y_s · (x − μ(x)) / σ(x) + y_b</c> with <c>(y_s, y_b) = A(w)</c>, μ and σ taken per sample and
/// channel over H and W (<c>σ = sqrt(var + 1e-8)</c>, population variance).
/// </summary>
/// <remarks>
/// Huang, Belongie, "Arbitrary Style Transfer in Real-time with Adaptive Instance Normalization", ICCV 2017; used per
/// layer in Karras, Laine, Aila, "A Style-Based Generator Architecture for GANs", CVPR 2019, Eq. 1, with A a learned
/// affine map of w (here an <see cref="EqualizedLinear"/> of gain 1 whose bias starts y_s at 1 and y_b at 0).
/// </remarks>
public sealed class AdaIN : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>The ε added to the variance before the square root.</summary>
    public const double Epsilon = 1e-8;

    readonly EqualizedLinear affine; // w [N, S] -> (y_s, y_b) [N, 2C]

    /// <summary>Creates the layer for <paramref name="channels"/> feature channels and styles of size <paramref name="styleSize"/>.</summary>
    public AdaIN(int channels, int styleSize, string name = "adain") : base(name)
    {
        if (channels <= 0 || styleSize <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "sizes must be positive");
        Channels = channels;
        StyleSize = styleSize;
        affine = new EqualizedLinear(styleSize, 2 * channels, gain: 1.0, name: "affine");
        using (no_grad()) affine.Bias![TensorIndex.Slice(0, channels)].fill_(1.0); // y_s starts at 1
        RegisterComponents();
    }

    /// <summary>Feature channels.</summary>
    public int Channels { get; }

    /// <summary>Style size (the size of w).</summary>
    public int StyleSize { get; }

    /// <summary>The style affine A: <c>[N, StyleSize] → [N, 2·Channels]</c> (scales first, then biases).</summary>
    public EqualizedLinear Affine => affine;

    /// <summary>Normalises <c>x [N, C, H, W]</c> per sample and channel, then applies the style of <c>w [N, StyleSize]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor w)
    {
        using var scope = NewDisposeScope();
        var style = affine.call(w);                                       // [N, 2C]
        var ys = style[.., ..Channels].unsqueeze(-1).unsqueeze(-1);       // [N, C, 1, 1]
        var yb = style[.., Channels..].unsqueeze(-1).unsqueeze(-1);       // [N, C, 1, 1]
        return (ys * InstanceNormalize(x) + yb).MoveToOuterDisposeScope();
    }

    /// <summary><c>(x − μ) / sqrt(var + ε)</c> per sample and channel over H, W; <c>[N, C, H, W]</c> in and out.</summary>
    public static Tensor InstanceNormalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        var centred = x - x.mean(new long[] { 2, 3 }, keepdim: true);                       // [N, C, H, W]
        var variance = centred.square().mean(new long[] { 2, 3 }, keepdim: true);           // [N, C, 1, 1]
        return (centred * (variance + Epsilon).rsqrt()).MoveToOuterDisposeScope();
    }
}
