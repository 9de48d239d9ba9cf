using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Losses;

/// <summary>Hinge GAN losses on raw discriminator outputs.</summary>
/// <remarks>
/// Lim &amp; Ye 2017, "Geometric GAN"; in this form popularised by Miyato et al. 2018, "Spectral Normalization for
/// Generative Adversarial Networks" (eq. 17) and used by SAGAN and BigGAN.
/// </remarks>
public static class HingeLoss
{
    /// <summary>L_D = E[relu(1 − D(x))] + E[relu(1 + D(G(z)))].</summary>
    /// <param name="realScores">Outputs on real images <c>[N]</c>.</param>
    /// <param name="fakeScores">Outputs on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Discriminator(Tensor realScores, Tensor fakeScores) =>
        F.relu(1.0 - realScores).mean() + F.relu(1.0 + fakeScores).mean();

    /// <summary>L_G = −E[D(G(z))].</summary>
    /// <param name="fakeScores">Outputs on generated images <c>[M]</c>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Generator(Tensor fakeScores) => -fakeScores.mean();
}
