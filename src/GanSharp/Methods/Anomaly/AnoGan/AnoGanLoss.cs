using GanSharp.Losses;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.AnoGan;

/// <summary>AnoGAN's per-image objective of the latent search, which is also its anomaly score.</summary>
/// <remarks>Schlegl et al., "Unsupervised Anomaly Detection with Generative Adversarial Networks to Guide Marker Discovery", IPMI 2017.</remarks>
public static class AnoGanLoss
{
    /// <summary>
    /// L(z) = (1 − λ)·R + λ·D_f per image, with R = Σ|x − G(z)| over pixels and D_f = Σ|f(x) − f(G(z))| over
    /// discriminator features.
    /// </summary>
    /// <param name="images">x <c>[N, C, H, W]</c>.</param>
    /// <param name="generated">G(z), same shape.</param>
    /// <param name="imageFeatures">f(x) <c>[N, F]</c>.</param>
    /// <param name="generatedFeatures">f(G(z)) <c>[N, F]</c>.</param>
    /// <param name="lambda">λ.</param>
    /// <returns><c>[N]</c>.</returns>
    public static Tensor Objective(Tensor images, Tensor generated, Tensor imageFeatures, Tensor generatedFeatures, double lambda)
    {
        var residual = ReconstructionLoss.L1PerSample(images, generated, SampleReduction.Sum);                 // [N]
        var discrimination = ReconstructionLoss.FeatureMatchingDistance(imageFeatures, generatedFeatures, p: 1); // [N]
        return (1 - lambda) * residual + lambda * discrimination;
    }
}
