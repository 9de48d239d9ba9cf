using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Adaptive Layer-Instance Normalisation: a learned per-channel mix ρ ∈ [0, 1] of instance normalisation (statistics
/// over H, W) and layer normalisation (over C, H, W), then a per-sample scale γ and shift β given from outside (U-GAT-IT
/// computes them from the attention features with fully connected layers):
/// <c>AdaLIN(x, γ, β) = γ ⊙ (ρ ⊙ x̂_IN + (1 − ρ) ⊙ x̂_LN) + β</c>. ρ is clamped to [0, 1] where it is used (and
/// <see cref="ClipRho"/> clips the stored value after an optimiser step, as the paper's code does).
/// </summary>
/// <remarks>Kim, Kim, Kang, Lee, "U-GAT-IT: Unsupervised Generative Attentional Networks with Adaptive Layer-Instance
/// Normalization for Image-to-Image Translation", ICLR 2020, Eq. (1)–(2). Variances here are the biased ones of
/// PyTorch's instance and layer norms (the paper's code uses unbiased variances).</remarks>
public sealed class AdaLIN : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>ε added to the variances.</summary>
    public const double Epsilon = 1e-5;

    readonly Parameter rho; // [1, C, 1, 1]

    /// <summary>An AdaLIN over <paramref name="channels"/> channels with ρ starting at <paramref name="rhoInit"/> (the paper: 0.9).</summary>
    public AdaLIN(int channels, double rhoInit = 0.9, string name = "adalin") : base(name)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "must be positive");
        if (rhoInit is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rhoInit), "must be in [0, 1]");
        Channels = channels;
        rho = nn.Parameter(full(new long[] { 1, channels, 1, 1 }, rhoInit));
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>The stored ρ <c>[1, C, 1, 1]</c>.</summary>
    public Parameter Rho => rho;

    /// <summary>x <c>[N, C, H, W]</c>, γ and β <c>[N, C]</c> → <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor gamma, Tensor beta)
    {
        using var scope = NewDisposeScope();
        var mixed = Mix(x, rho.clamp(0, 1));
        return (mixed * gamma.unsqueeze(-1).unsqueeze(-1) + beta.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>Clips the stored ρ to [0, 1] in place (call after each optimiser step).</summary>
    public void ClipRho()
    {
        using var _ = no_grad();
        rho.clamp_(0, 1);
    }

    /// <summary><c>ρ ⊙ x̂_IN + (1 − ρ) ⊙ x̂_LN</c> for x <c>[N, C, H, W]</c> and ρ broadcastable to it.</summary>
    public static Tensor Mix(Tensor x, Tensor rho)
    {
        if (x.dim() != 4) throw new ArgumentException($"x must be [N, C, H, W], got [{string.Join(", ", x.shape)}]", nameof(x));
        using var scope = NewDisposeScope();
        var inMean = x.mean(new long[] { 2, 3 }, keepdim: true);                                       // [N, C, 1, 1]
        var inVar = (x - inMean).square().mean(new long[] { 2, 3 }, keepdim: true);
        var lnMean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);                                    // [N, 1, 1, 1]
        var lnVar = (x - lnMean).square().mean(new long[] { 1, 2, 3 }, keepdim: true);
        var outIn = (x - inMean) * (inVar + Epsilon).rsqrt();
        var outLn = (x - lnMean) * (lnVar + Epsilon).rsqrt();
        return (rho * outIn + (1 - rho) * outLn).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Layer-Instance Normalisation: <see cref="AdaLIN"/>'s mix with its own learned γ (init 1) and β (init 0) per channel
/// and ρ starting at 0 (layer norm); U-GAT-IT uses it in the up-sampling part of the generator.
/// </summary>
/// <remarks>Kim et al., ICLR 2020, §2.1.1 (the decoder's up-sampling blocks).</remarks>
public sealed class LayerInstanceNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter rho;   // [1, C, 1, 1]
    readonly Parameter gamma; // [1, C, 1, 1]
    readonly Parameter beta;  // [1, C, 1, 1]

    /// <summary>A LIN over <paramref name="channels"/> channels.</summary>
    public LayerInstanceNorm(int channels, string name = "lin") : base(name)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "must be positive");
        rho = nn.Parameter(zeros(1, channels, 1, 1));
        gamma = nn.Parameter(ones(1, channels, 1, 1));
        beta = nn.Parameter(zeros(1, channels, 1, 1));
        RegisterComponents();
    }

    /// <summary>The stored ρ.</summary>
    public Parameter Rho => rho;

    /// <summary><c>[N, C, H, W]</c> → <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (AdaLIN.Mix(x, rho.clamp(0, 1)) * gamma + beta).MoveToOuterDisposeScope();
    }

    /// <summary>Clips the stored ρ to [0, 1] in place.</summary>
    public void ClipRho()
    {
        using var _ = no_grad();
        rho.clamp_(0, 1);
    }
}
