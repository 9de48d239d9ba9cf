using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Losses;

/// <summary>
/// The original GAN objective on raw logits, written with softplus so it never takes log(0):
/// −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s).
/// </summary>
/// <remarks>
/// Goodfellow et al. 2014, "Generative Adversarial Nets": min_G max_D E_x[log D(x)] + E_z[log(1 − D(G(z)))].
/// At the optimal D*(x) = p_data/(p_data + p_g) the value is 2·JSD(p_data ‖ p_g) − log 4. The non-saturating
/// generator loss is the paper's own practical recommendation (§3). Same as rosinality's <c>d_logistic_loss</c> and
/// <c>g_nonsaturating_loss</c>.
/// </remarks>
public static class MinimaxLoss
{
    /// <summary>
    /// L_D = −E[log σ(D(x))] − E[log(1 − σ(D(G(z))))] = E[softplus(−D(x))] + E[softplus(D(G(z)))].
    /// </summary>
    /// <param name="realScores">Logits on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Logits on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Discriminator(Tensor realScores, Tensor fakeScores) =>
        F.softplus(-realScores).mean() + F.softplus(fakeScores).mean();

    /// <summary>
    /// The saturating generator loss L_G = E[log(1 − σ(D(G(z))))] = −E[softplus(D(G(z)))] (G minimises it).
    /// Its gradient vanishes when D confidently rejects the fakes, i.e. early in training.
    /// </summary>
    /// <param name="fakeScores">Logits on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor GeneratorMinimax(Tensor fakeScores) => -F.softplus(fakeScores).mean();

    /// <summary>
    /// The non-saturating generator loss L_G = −E[log σ(D(G(z)))] = E[softplus(−D(G(z)))].
    /// </summary>
    /// <param name="fakeScores">Logits on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor GeneratorNonSaturating(Tensor fakeScores) => F.softplus(-fakeScores).mean();
}
