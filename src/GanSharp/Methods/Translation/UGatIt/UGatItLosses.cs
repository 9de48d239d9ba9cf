using GanSharp.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>U-GAT-IT's loss terms (least-squares adversarial terms, as the paper's code: mean squared errors against 1 and 0).</summary>
/// <remarks>
/// Kim et al., ICLR 2020, §2.2: L_lsgan on the patch scores and on the CAM logits of both discriminators; L_cycle and
/// L_identity are L1; the generator's CAM loss is the binary cross-entropy of its CAM classifier, which for
/// G_{s→t} should say 1 ("comes from s") for images of domain s and 0 for images of domain t (the identity path).
/// </remarks>
public static class UGatItLosses
{
    /// <summary>The generator's least-squares term E[(D(G(x)) − 1)²] over all scores or logits (a scalar).</summary>
    public static Tensor GeneratorAdversarial(Tensor fake) => (fake - 1).square().mean();

    /// <summary>The discriminator's least-squares term E[(D(y) − 1)²] + E[D(G(x))²] (a scalar).</summary>
    public static Tensor DiscriminatorAdversarial(Tensor real, Tensor fake) => (real - 1).square().mean() + fake.square().mean();

    /// <summary>E|a − b| (cycle and identity terms; a scalar).</summary>
    public static Tensor L1(Tensor a, Tensor b) => ReconstructionLoss.L1(a, b);

    /// <summary>
    /// The CAM loss of one generator G_{s→t}: BCE-with-logits(<paramref name="sourceLogits"/>, 1) +
    /// BCE-with-logits(<paramref name="targetLogits"/>, 0), where <paramref name="sourceLogits"/> <c>[N, 2]</c> are its CAM
    /// logits for images of domain s and <paramref name="targetLogits"/> <c>[N, 2]</c> those for images of domain t (a scalar).
    /// </summary>
    public static Tensor GeneratorCam(Tensor sourceLogits, Tensor targetLogits) =>
        F.binary_cross_entropy_with_logits(sourceLogits, ones_like(sourceLogits)) + F.binary_cross_entropy_with_logits(targetLogits, zeros_like(targetLogits));
}
