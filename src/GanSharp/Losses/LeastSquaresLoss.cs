using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>Least-squares GAN losses on raw discriminator outputs.</summary>
/// <remarks>
/// Mao et al. 2017, "Least Squares Generative Adversarial Networks", eq. (2):
/// min_D ½E[(D(x) − b)²] + ½E[(D(G(z)) − a)²], min_G ½E[(D(G(z)) − c)²]. The defaults a = 0, b = c = 1 are the
/// paper's practical choice (§3.2.2) and what CycleGAN and U-GAT-IT use.
/// </remarks>
public static class LeastSquaresLoss
{
    /// <summary>L_D = ½E[(D(x) − b)²] + ½E[(D(G(z)) − a)²].</summary>
    /// <param name="realScores">Outputs on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Outputs on generated images <c>[M]</c>.</param>
    /// <param name="fakeTarget">a, the target for fakes.</param>
    /// <param name="realTarget">b, the target for reals.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Discriminator(Tensor realScores, Tensor fakeScores, double fakeTarget = 0, double realTarget = 1) =>
        0.5 * (realScores - realTarget).square().mean() + 0.5 * (fakeScores - fakeTarget).square().mean();

    /// <summary>L_G = ½E[(D(G(z)) − c)²].</summary>
    /// <param name="fakeScores">Outputs on generated images <c>[M]</c>.</param>
    /// <param name="generatorTarget">c, the value G wants D to believe for fakes.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Generator(Tensor fakeScores, double generatorTarget = 1) =>
        0.5 * (fakeScores - generatorTarget).square().mean();
}
