using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Pixelwise feature-vector normalisation: <c>x / sqrt(mean(x², dim 1) + 1e-8)</c>, so each vector along dimension 1
/// has unit mean square (StyleGAN applies it to z before the mapping network).
/// </summary>
/// <remarks>Karras, Aila, Laine, Lehtinen, "Progressive Growing of GANs", ICLR 2018, §4.2.</remarks>
public sealed class PixelNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>The ε added to the mean square.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>Creates the layer (it has no parameters).</summary>
    public PixelNorm(string name = "pixel_norm") : base(name) => RegisterComponents();

    /// <summary>Normalises <c>[N, C, ...]</c> along dimension 1.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x * (x.square().mean(new long[] { 1 }, keepdim: true) + Epsilon).rsqrt()).MoveToOuterDisposeScope();
    }
}
