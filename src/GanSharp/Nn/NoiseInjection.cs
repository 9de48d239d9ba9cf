using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Adds per-pixel single-channel noise scaled by a learned per-channel factor: <c>x + B · noise</c>, with
/// <c>x [N, C, H, W]</c>, <c>noise [N or 1, 1, H, W]</c> and <c>B [C]</c> initialised to zero.
/// </summary>
/// <remarks>
/// Karras, Laine, Aila, "A Style-Based Generator Architecture for Generative Adversarial Networks", CVPR 2019, §2
/// ("B" in Fig. 1b): the noise gives stochastic detail; starting B at zero lets the network decide how much to use.
/// </remarks>
public sealed class NoiseInjection : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter weight; // [1, C, 1, 1]

    /// <summary>Creates the layer for <paramref name="channels"/> channels.</summary>
    public NoiseInjection(int channels, string name = "noise") : base(name)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "must be positive");
        Channels = channels;
        weight = nn.Parameter(zeros(1, channels, 1, 1));
        RegisterComponents();
    }

    /// <summary>Channels of the input.</summary>
    public int Channels { get; }

    /// <summary>The learned per-channel scale B, stored as <c>[1, C, 1, 1]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary><c>x [N, C, H, W] + B · noise [N or 1, 1, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor noise)
    {
        if (noise.dim() != 4 || noise.shape[1] != 1 || noise.shape[2] != x.shape[2] || noise.shape[3] != x.shape[3])
            throw new ArgumentException(
                $"noise must be [N or 1, 1, {x.shape[2]}, {x.shape[3]}], got [{string.Join(", ", noise.shape)}]", nameof(noise));
        using var scope = NewDisposeScope();
        return (x + weight * noise).MoveToOuterDisposeScope();
    }
}
