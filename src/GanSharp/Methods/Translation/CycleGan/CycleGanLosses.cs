using GanSharp.Losses;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>CycleGAN's loss terms (the adversarial ones are least-squares, LSGAN).</summary>
/// <remarks>
/// Zhu et al., ICCV 2017: eq. (2) cycle consistency L_cyc = E‖F(G(x)) − x‖₁ + E‖G(F(y)) − y‖₁ weighted by λ = 10;
/// §5.2 identity L_idt = E‖G(y) − y‖₁ + E‖F(x) − x‖₁ weighted by 0.5·λ; §4 LSGAN (Mao et al. 2017) in place of the
/// log-likelihood loss: G minimises E[(D(G(x)) − 1)²], D minimises ½E[(D(y) − 1)²] + ½E[D(G(x))²] (the reference code
/// halves D's loss "to slow down the rate at which D learns relative to G").
/// </remarks>
public static class CycleGanLosses
{
    /// <summary>λ · E|reconstructed − real| (one direction of the cycle loss; a scalar).</summary>
    /// <param name="real">Images <c>[N, C, H, W]</c>.</param>
    /// <param name="reconstructed">F(G(x)) of the same shape.</param>
    /// <param name="lambda">λ (paper: 10).</param>
    public static Tensor Cycle(Tensor real, Tensor reconstructed, double lambda) => lambda * ReconstructionLoss.L1(reconstructed, real);

    /// <summary>fraction · λ · E|mapped − real| (one direction of the identity loss; a scalar).</summary>
    /// <param name="real">Images of the generator's target domain <c>[N, C, H, W]</c>.</param>
    /// <param name="mapped">The generator applied to them, same shape.</param>
    /// <param name="lambda">λ of the cycle loss.</param>
    /// <param name="fraction">The identity weight as a fraction of λ (paper: 0.5).</param>
    public static Tensor Identity(Tensor real, Tensor mapped, double lambda, double fraction) => fraction * lambda * ReconstructionLoss.L1(mapped, real);

    /// <summary>The generator's least-squares adversarial loss E[(D(G(x)) − 1)²] over all patch scores (a scalar).</summary>
    public static Tensor GeneratorAdversarial(Tensor fakeScores) => 2 * LeastSquaresLoss.Generator(fakeScores);

    /// <summary>The discriminator's least-squares loss ½E[(D(y) − 1)²] + ½E[D(G(x))²] over all patch scores (a scalar).</summary>
    public static Tensor DiscriminatorAdversarial(Tensor realScores, Tensor fakeScores) => LeastSquaresLoss.Discriminator(realScores, fakeScores);
}
