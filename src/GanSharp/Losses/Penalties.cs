using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>
/// Gradient penalties added to the discriminator loss. Both differentiate D's output with respect to its input
/// with <c>create_graph</c>, so backpropagating the penalty reaches D's weights (a double backward).
/// </summary>
public static class Penalties
{
    /// <summary>
    /// The WGAN-GP penalty λ·E[(‖∇_x̂ D(x̂)‖₂ − 1)²] on interpolates x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per sample,
    /// where x̃ are generated images. Add it to <see cref="WassersteinLoss.Critic"/>.
    /// </summary>
    /// <remarks>
    /// Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1 (λ = 10, Adam(1e-4, β = (0, 0.9)),
    /// n_critic = 5). <paramref name="real"/> and <paramref name="fake"/> are detached: the penalty trains only the
    /// critic. The norm is taken over all non-batch dimensions.
    /// </remarks>
    /// <param name="critic">Maps images <c>[N, ...]</c> to critic values <c>[N]</c> (or <c>[N, 1]</c>).</param>
    /// <param name="real">Real images <c>[N, ...]</c>.</param>
    /// <param name="fake">Generated images, same shape as <paramref name="real"/>.</param>
    /// <param name="lambda">λ, the penalty weight.</param>
    /// <param name="rng">Source of ε; null uses torch's global generator. ε is drawn on the CPU, then moved.</param>
    /// <returns>A scalar.</returns>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, double lambda = 10, Generator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        if (!real.shape.SequenceEqual(fake.shape))
            throw new ArgumentException($"real {Shape(real)} and fake {Shape(fake)} must have the same shape", nameof(fake));
        if (real.dim() < 1 || real.shape[0] == 0) throw new ArgumentException("need a non-empty batch", nameof(real));
        using var scope = NewDisposeScope();
        var epsShape = new long[real.dim()];
        Array.Fill(epsShape, 1L);
        epsShape[0] = real.shape[0];
        var eps = rand(epsShape, dtype: real.dtype, generator: rng).to(real.device);           // [N, 1, ..., 1]
        using var enable = enable_grad();
        var mixed = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(true);  // [N, ...]
        var scores = critic(mixed);                                                            // [N]
        var grad = InputGradient(scores, mixed, nameof(critic));                               // [N, ...]
        var norms = ReconstructionLoss.PerSampleView(grad).norm(1);                                                   // [N]
        return (lambda * (norms - 1).square().mean()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The R1 penalty (γ/2)·E[‖∇_x D(x)‖²] on real data, times <paramref name="interval"/>. It is a penalty:
    /// add it to L_D (seed 001 prints it with a minus sign; that is wrong).
    /// </summary>
    /// <remarks>
    /// Mescheder, Geiger &amp; Nowozin 2018, "Which Training Methods for GANs do actually Converge?", eq. (9).
    /// Lazy regularisation (Karras et al. 2020, StyleGAN2 §3.1): apply it only every k-th discriminator step and pass
    /// <paramref name="interval"/> = k so the penalty keeps its overall strength (StyleGAN2 uses k = 16); with
    /// Adam, the paper also rescales the learning rate and betas by k/(k + 1). Same as rosinality's
    /// <c>d_r1_loss</c> times <c>r1 / 2 * d_reg_every</c>.
    /// </remarks>
    /// <param name="realScores">D's outputs <c>[N]</c> computed from <paramref name="realImages"/>.</param>
    /// <param name="realImages">Real images <c>[N, ...]</c>; must require grad before D saw them.</param>
    /// <param name="gamma">γ, the penalty weight.</param>
    /// <param name="interval">k, how many D steps apart the penalty is applied (1 = every step).</param>
    /// <returns>A scalar.</returns>
    public static Tensor R1Penalty(Tensor realScores, Tensor realImages, double gamma, int interval = 1)
    {
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(realImages);
        if (!realImages.requires_grad)
            throw new ArgumentException("the real images must require grad before the discriminator sees them (call requires_grad_(true) on a detached copy)", nameof(realImages));
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the lazy interval must be at least 1");
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var grad = InputGradient(realScores, realImages, nameof(realScores));                  // [N, ...]
        var squaredNorms = ReconstructionLoss.PerSampleView(grad.square()).sum(1);                                    // [N]
        return (gamma / 2 * interval * squaredNorms.mean()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∇_input Σ scores with <c>create_graph</c> (so the result is differentiable with respect to D's weights) and
    /// <c>retain_graph</c> (so the caller can still backpropagate through <paramref name="scores"/>).
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's <c>autograd.grad</c> does not turn libtorch errors into exceptions: scores that do not
    /// require grad terminate the process. They are rejected here first. Scores that do not depend on the input
    /// have a zero input gradient (libtorch returns an undefined tensor for it with <c>allow_unused</c>).
    /// </remarks>
    static Tensor InputGradient(Tensor scores, Tensor input, string paramName)
    {
        if (!scores.requires_grad)
            throw new ArgumentException("the scores do not require grad, so they cannot be differentiated: was the discriminator run under no_grad or its output detached?", paramName);
        var grad = autograd.grad(new[] { scores.sum() }, new[] { input }, retain_graph: true, create_graph: true, allow_unused: true)[0];
        if (grad.IsInvalid)
        {
            grad.Dispose();
            return zeros_like(input);
        }
        return grad;
    }

    static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
