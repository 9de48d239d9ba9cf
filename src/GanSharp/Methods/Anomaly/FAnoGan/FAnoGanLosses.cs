using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>f-AnoGAN's per-sample residuals, its encoder losses and its score.</summary>
/// <remarks>Schlegl, Seeböck, Waldstein, Langs, Schmidt-Erfurth, "f-AnoGAN: Fast unsupervised anomaly detection with
/// generative adversarial networks", Medical Image Analysis 2019, eq. 5–9.</remarks>
public static class FAnoGanLosses
{
    /// <summary>A_R = (1/n)‖x − G(E(x))‖² per image (mean over the n pixels); <c>[N, ...]</c> → <c>[N]</c>.</summary>
    public static Tensor ImageResidual(Tensor images, Tensor reconstructions) => MeanPerSample((images - reconstructions).square());

    /// <summary>A_D = (1/n_f)‖f(x) − f(G(E(x)))‖² per image (mean over the n_f discriminator features); <c>[N, F]</c> → <c>[N]</c>.</summary>
    public static Tensor FeatureResidual(Tensor imageFeatures, Tensor reconstructionFeatures) => MeanPerSample((imageFeatures - reconstructionFeatures).square());

    /// <summary>(1/d)‖z − E(G(z))‖² per latent (the ziz residual); <c>[N, Z]</c> → <c>[N]</c>.</summary>
    public static Tensor LatentResidual(Tensor latents, Tensor reconstructedLatents) => MeanPerSample((latents - reconstructedLatents).square());

    /// <summary>The anomaly score A = A_R + κ·A_D per image.</summary>
    public static Tensor Score(Tensor imageResidual, Tensor featureResidual, double kappa) => imageResidual + kappa * featureResidual;

    static Tensor MeanPerSample(Tensor perElement) => perElement.flatten(1).mean(new long[] { 1 });
}
