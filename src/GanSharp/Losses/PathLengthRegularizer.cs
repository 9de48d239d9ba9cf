using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>The running state of a <see cref="PathLengthRegularizer"/>: the tracked mean length a and how often it moved.</summary>
public sealed record PathLengthState(double Mean, long Updates);

/// <summary>
/// StyleGAN2's path length regularisation of the generator: for styles w and images g(w), with y ~ N(0, I)/√(H·W) drawn
/// per call, the Jacobian-vector lengths ℓ = ‖J_wᵀ y‖₂ should be the same for every w, so the penalty is E[(ℓ − a)²]
/// where a is an exponential moving average of ℓ. For per-layer styles w+ <c>[N, K, S]</c>, ℓ = √(mean_K Σ_S (J_wᵀ y)²),
/// as in the official code. Add <c>weight · interval · penalty</c> to the generator loss on every interval-th generator step.
/// </summary>
/// <remarks>
/// Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN", §3.2 and Appendix B: weight 2, lazy
/// every 4 generator steps, half the batch, a updated with decay 0.01 before the penalty uses it (from a = 0).
/// </remarks>
public sealed class PathLengthRegularizer
{
    /// <summary>The paper's weight γ_pl (for the per-pixel-normalised y).</summary>
    public const double DefaultWeight = 2.0;

    /// <summary>The paper's lazy interval in generator steps.</summary>
    public const int DefaultInterval = 4;

    /// <summary>The paper's decay of the running mean a.</summary>
    public const double DefaultDecay = 0.01;

    /// <summary>Creates the regulariser with a = 0.</summary>
    /// <param name="decay">How far a moves towards each batch's mean length (0, 1].</param>
    public PathLengthRegularizer(double decay = DefaultDecay)
    {
        if (!(decay is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must be in (0, 1]");
        Decay = decay;
    }

    /// <summary>How far a moves towards each batch's mean length.</summary>
    public double Decay { get; }

    /// <summary>The tracked mean length a.</summary>
    public double Mean { get; private set; }

    /// <summary>How many batches have moved a.</summary>
    public long Updates { get; private set; }

    /// <summary>The mean length ℓ of the last batch.</summary>
    public double LastLength { get; private set; } = double.NaN;

    /// <summary>The state to save with a checkpoint.</summary>
    public PathLengthState State => new(Mean, Updates);

    /// <summary>Restores a saved <paramref name="state"/> (resuming continues exactly).</summary>
    public void Restore(PathLengthState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!double.IsFinite(state.Mean) || state.Mean < 0 || state.Updates < 0)
            throw new GanSharpException($"path length state (mean {state.Mean}, {state.Updates} updates) is invalid", "the checkpoint is damaged; resume from an earlier one");
        Mean = state.Mean;
        Updates = state.Updates;
    }

    /// <summary>The per-pixel-normalised direction y ~ N(0, I)/√(H·W) for images of <paramref name="shape"/>, drawn on the CPU from <paramref name="rng"/>, then moved.</summary>
    public static Tensor Direction(long[] shape, ScalarType dtype, Device device, Generator? rng = null)
    {
        if (shape.Length != 4) throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", shape)}]", nameof(shape));
        return (randn(shape, dtype: dtype, generator: rng) / Math.Sqrt(shape[2] * shape[3])).to(device);
    }

    /// <summary>
    /// Moves a towards this batch's mean length and returns the penalty mean((ℓ − a)²), differentiable with respect to the
    /// generator's weights (a double backward through <paramref name="images"/>).
    /// </summary>
    /// <param name="images">g(w) <c>[N, C, H, W]</c>, computed from <paramref name="styles"/> with grad enabled.</param>
    /// <param name="styles">w <c>[N, S]</c> or w+ <c>[N, K, S]</c>; a tensor of the graph that made <paramref name="images"/>.</param>
    /// <param name="direction">y, the shape of <paramref name="images"/> (<see cref="Direction"/>).</param>
    /// <returns>A scalar.</returns>
    public Tensor Penalty(Tensor images, Tensor styles, Tensor direction)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(styles);
        ArgumentNullException.ThrowIfNull(direction);
        if (!images.shape.SequenceEqual(direction.shape))
            throw new ArgumentException($"direction [{string.Join(", ", direction.shape)}] must have the images' shape [{string.Join(", ", images.shape)}]", nameof(direction));
        if (styles.dim() is not (2 or 3) || styles.shape[0] != images.shape[0])
            throw new ArgumentException($"styles must be [N, S] or [N, K, S] with the images' N, got [{string.Join(", ", styles.shape)}]", nameof(styles));
        // TorchSharp's autograd.grad terminates the process on an output without a graph: refuse it here.
        if (!images.requires_grad) throw new ArgumentException("the images do not require grad: were they made under no_grad?", nameof(images));
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var grad = autograd.grad(new[] { (images * direction).sum() }, new[] { styles }, retain_graph: true, create_graph: true)[0]; // styles' shape
        var squared = grad.square().sum(-1);                                                     // [N] or [N, K]
        var lengths = (squared.dim() == 2 ? squared.mean(new long[] { 1 }) : squared).sqrt();    // [N]
        LastLength = lengths.mean().ToDouble();
        Mean += Decay * (LastLength - Mean);
        Updates++;
        return (lengths - Mean).square().mean().MoveToOuterDisposeScope();
    }
}
