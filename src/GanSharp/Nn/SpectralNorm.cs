using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Spectral normalisation of a weight: <c>W / σ(W)</c>, where σ(W), the largest singular value of the weight viewed as a
/// matrix <c>[out, in·k·k]</c>, is estimated by power iteration. The iteration vectors u <c>[out]</c> and v
/// <c>[in·k·k]</c> are buffers (saved in checkpoints, moved with the module); each forward in training mode runs
/// <see cref="Iterations"/> power iterations and updates them, eval mode runs none and uses the stored vectors. The
/// gradient flows through W only (u and v are constants of the step), as in the reference implementation.
/// </summary>
/// <remarks>
/// Miyato, Kataoka, Koyama, Yoshida, "Spectral Normalization for Generative Adversarial Networks", ICLR 2018,
/// Algorithm 1 (one power iteration per update is enough because W changes slowly).
/// </remarks>
public sealed class SpectralNorm : nn.Module
{
    readonly Tensor u; // buffer [out]: left singular vector estimate
    readonly Tensor v; // buffer [in·k·k]: right singular vector estimate

    /// <summary>Creates the normaliser for a weight whose first dimension is <paramref name="rows"/> and the rest flatten to <paramref name="columns"/>.</summary>
    /// <param name="rows">Output features/channels.</param>
    /// <param name="columns">Input features times kernel elements.</param>
    /// <param name="iterations">Power iterations per training forward (the paper uses 1).</param>
    /// <param name="epsilon">Guard of the vector normalisations.</param>
    /// <param name="generator">Random stream of the initial u and v (the global one when null).</param>
    /// <param name="name">Module name.</param>
    public SpectralNorm(long rows, long columns, int iterations = 1, double epsilon = 1e-12, Generator? generator = null, string name = "spectral_norm") : base(name)
    {
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), "the weight must have at least one row and one column");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "at least one power iteration per training forward");
        Iterations = iterations;
        Epsilon = epsilon;
        using (no_grad())
        {
            u = nn.functional.normalize(randn(new long[] { rows }, generator: generator), p: 2, dim: 0, eps: epsilon).DetachFromDisposeScope();
            v = nn.functional.normalize(randn(new long[] { columns }, generator: generator), p: 2, dim: 0, eps: epsilon).DetachFromDisposeScope();
        }
        RegisterComponents();
    }

    /// <summary>Power iterations per training forward.</summary>
    public int Iterations { get; }

    /// <summary>Guard of the vector normalisations.</summary>
    public double Epsilon { get; }

    /// <summary>The left singular vector estimate <c>[out]</c> (a buffer; read-only view).</summary>
    public Tensor U => u.detach();

    /// <summary>The right singular vector estimate <c>[in·k·k]</c> (a buffer; read-only view).</summary>
    public Tensor V => v.detach();

    /// <summary>
    /// Runs <paramref name="iterations"/> power iterations on <paramref name="weight"/> (any shape <c>[out, ...]</c>),
    /// updating u and v in place. Called by <see cref="Normalize"/> in training mode; call it directly to converge the
    /// estimate (e.g. before measuring).
    /// </summary>
    public void PowerIterate(Tensor weight, int iterations)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = weight.detach().flatten(1).to(u.dtype); // [out, in·k·k]
        for (int i = 0; i < iterations; i++)
        {
            v.copy_(nn.functional.normalize(w.t().mv(u), p: 2, dim: 0, eps: Epsilon)); // [in·k·k]
            u.copy_(nn.functional.normalize(w.mv(v), p: 2, dim: 0, eps: Epsilon));     // [out]
        }
    }

    /// <summary>The current estimate of σ(W) = uᵀ W v (differentiable in W).</summary>
    public Tensor Sigma(Tensor weight) => u.to(weight.dtype).dot(weight.flatten(1).mv(v.to(weight.dtype)));

    /// <summary>W / σ(W), with <see cref="Iterations"/> power iterations first in training mode; same shape as <paramref name="weight"/>.</summary>
    public Tensor Normalize(Tensor weight)
    {
        if (training) PowerIterate(weight, Iterations);
        using var scope = NewDisposeScope();
        return (weight / Sigma(weight)).MoveToOuterDisposeScope();
    }
}

/// <summary>A 2-D convolution whose weight is spectrally normalised (<see cref="SpectralNorm"/>) at every call.</summary>
/// <remarks>Miyato et al., ICLR 2018 (spectral normalisation); used in the discriminators of SAGAN/BigGAN and many translation models.</remarks>
public sealed class SpectralNormConv2d : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;  // [out, in, k, k]
    readonly Parameter? bias;   // [out]
    readonly SpectralNorm norm;
    readonly long stride, padding;

    /// <summary>Creates the layer (weights as <c>nn.Conv2d</c> initialises them).</summary>
    public SpectralNormConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool hasBias = true, int iterations = 1, string name = "sn_conv2d") : base(name)
    {
        using (var conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: hasBias))
        {
            weight = nn.Parameter(conv.weight!.detach().clone());
            if (hasBias) bias = nn.Parameter(conv.bias!.detach().clone());
        }
        this.stride = stride;
        this.padding = padding;
        norm = new SpectralNorm(outChannels, inChannels * kernelSize * kernelSize, iterations);
        RegisterComponents();
    }

    /// <summary>The unnormalised weight <c>[out, in, k, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The normaliser (its u and v buffers).</summary>
    public SpectralNorm Norm => norm;

    /// <summary>The weight the convolution uses: W / σ(W) <c>[out, in, k, k]</c> (runs the power iteration in training mode).</summary>
    public Tensor NormalizedWeight() => norm.Normalize(weight);

    /// <summary>Convolves <c>[N, in, H, W]</c> with the normalised weight.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.conv2d(input, NormalizedWeight(), bias, strides: new[] { stride, stride }, padding: new[] { padding, padding }).MoveToOuterDisposeScope();
    }
}

/// <summary>A linear layer whose weight is spectrally normalised (<see cref="SpectralNorm"/>) at every call.</summary>
/// <remarks>Miyato et al., ICLR 2018.</remarks>
public sealed class SpectralNormLinear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight; // [out, in]
    readonly Parameter? bias;  // [out]
    readonly SpectralNorm norm;

    /// <summary>Creates the layer (weights as <c>nn.Linear</c> initialises them).</summary>
    public SpectralNormLinear(long inFeatures, long outFeatures, bool hasBias = true, int iterations = 1, string name = "sn_linear") : base(name)
    {
        using (var linear = nn.Linear(inFeatures, outFeatures, hasBias: hasBias))
        {
            weight = nn.Parameter(linear.weight!.detach().clone());
            if (hasBias) bias = nn.Parameter(linear.bias!.detach().clone());
        }
        norm = new SpectralNorm(outFeatures, inFeatures, iterations);
        RegisterComponents();
    }

    /// <summary>The unnormalised weight <c>[out, in]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The normaliser (its u and v buffers).</summary>
    public SpectralNorm Norm => norm;

    /// <summary>The weight the layer uses: W / σ(W) <c>[out, in]</c> (runs the power iteration in training mode).</summary>
    public Tensor NormalizedWeight() => norm.Normalize(weight);

    /// <summary>Maps <c>[N, in]</c> to <c>[N, out]</c> with the normalised weight.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(input, NormalizedWeight(), bias).MoveToOuterDisposeScope();
    }
}
