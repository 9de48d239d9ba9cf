using GanSharp.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>EGBAD's (BiGAN's) adversarial losses on (x, z) pairs and its anomaly score.</summary>
/// <remarks>Donahue et al., "Adversarial Feature Learning", ICLR 2017 (BiGAN); Zenati et al., "Efficient GAN-Based
/// Anomaly Detection", ICLR workshop 2018 (the score, eq. 1–3).</remarks>
public static class EgbadLosses
{
    /// <summary>L_D: real pairs (x, E(x)) labelled 1, fake pairs (G(z), z) labelled 0 (logistic loss on logits).</summary>
    public static Tensor Discriminator(Tensor realPairScores, Tensor fakePairScores) => MinimaxLoss.Discriminator(realPairScores, fakePairScores);

    /// <summary>
    /// L_{G,E} with the labels swapped (non-saturating for both): G wants D(G(z), z) → 1, E wants D(x, E(x)) → 0:
    /// mean softplus(D(x, E(x))) + mean softplus(−D(G(z), z)).
    /// </summary>
    public static Tensor GeneratorEncoder(Tensor realPairScores, Tensor fakePairScores) =>
        F.softplus(realPairScores).mean() + F.softplus(-fakePairScores).mean();

    /// <summary>L_G residual per image: ‖x − G(E(x))‖₁ (sum over pixels); <c>[N, ...]</c> → <c>[N]</c>.</summary>
    public static Tensor Residual(Tensor images, Tensor reconstructions) => ReconstructionLoss.L1PerSample(images, reconstructions, SampleReduction.Sum);

    /// <summary>Cross-entropy L_D per image: −log σ(D(x, E(x))) = softplus(−D(x, E(x))); <c>[N]</c> → <c>[N]</c>.</summary>
    public static Tensor CrossEntropyScore(Tensor realPairScores) => F.softplus(-realPairScores);

    /// <summary>Feature-matching L_D per image: Σ|f(x, E(x)) − f(G(E(x)), E(x))|; <c>[N, F]</c> → <c>[N]</c>.</summary>
    public static Tensor FeatureMatchingScore(Tensor realPairFeatures, Tensor reconstructionPairFeatures) =>
        ReconstructionLoss.FeatureMatchingDistance(realPairFeatures, reconstructionPairFeatures, p: 1);

    /// <summary>A(x) = α·L_G + (1 − α)·L_D per image.</summary>
    public static Tensor Score(Tensor residual, Tensor discriminatorTerm, double alpha) => alpha * residual + (1 - alpha) * discriminatorTerm;
}
