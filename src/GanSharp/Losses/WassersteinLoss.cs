using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>The Wasserstein critic and generator losses on raw critic values (no sigmoid), and weight clipping.</summary>
/// <remarks>
/// Arjovsky, Chintala &amp; Bottou 2017, "Wasserstein GAN" (Algorithm 1: RMSProp lr 5e-5, n_critic 5, c 0.01).
/// The gradient-penalty variant (Gulrajani et al. 2017) uses the same losses plus
/// <see cref="Penalties.GradientPenalty"/> instead of <see cref="ClipWeights"/>.
/// </remarks>
public static class WassersteinLoss
{
    /// <summary>Critic loss L_D = E[f(G(z))] − E[f(x)] (the critic minimises it).</summary>
    /// <param name="realScores">Critic values on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Critic values on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Critic(Tensor realScores, Tensor fakeScores) => fakeScores.mean() - realScores.mean();

    /// <summary>Generator loss L_G = −E[f(G(z))].</summary>
    /// <param name="fakeScores">Critic values on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Generator(Tensor fakeScores) => -fakeScores.mean();

    /// <summary>
    /// The Wasserstein-1 estimate E[f(x)] − E[f(G(z))] = −L_D, as a plain number for logging: it falls as the
    /// generator improves and is the training-progress signal the WGAN paper plots.
    /// </summary>
    /// <param name="realScores">Critic values on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Critic values on generated images <c>[M]</c>.</param>
    public static double Estimate(Tensor realScores, Tensor fakeScores)
    {
        using var _ = no_grad();
        using var d = realScores.mean() - fakeScores.mean();
        return d.to(float64).item<double>();
    }

    /// <summary>
    /// Clamps every parameter of <paramref name="module"/> to [−c, c] in place, outside autograd. Call after each
    /// critic optimiser step. Buffers (e.g. batch-norm running statistics) are left alone.
    /// </summary>
    /// <param name="module">The critic.</param>
    /// <param name="c">The clip value, &gt; 0 (the paper uses 0.01).</param>
    public static void ClipWeights(nn.Module module, double c)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!(c > 0) || double.IsInfinity(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "the clip value must be a positive finite number");
        using var _ = no_grad();
        foreach (var p in module.parameters())
            p.clamp_(-c, c);
    }
}
