using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>What a restoration produced.</summary>
/// <param name="Restored">The restoration: G(code) made consistent with the observation (<see cref="IDegradation.Consistent"/>: inpainting keeps the known pixels). // [N, C, H, W]</param>
/// <param name="Generated">G(code) itself. // [N, C, H, W]</param>
/// <param name="Losses">The final per-image objective. // [N]</param>
/// <param name="Single">The single-code inversion, when that method ran.</param>
/// <param name="Multi">The mGANprior inversion, when that method ran.</param>
public sealed record RestorationResult(Tensor Restored, Tensor Generated, Tensor Losses, InversionResult? Single, MultiCodeResult? Multi);

/// <summary>
/// Image restoration with a GAN prior: the inversion of <see cref="GanInversion"/> or <see cref="MultiCodeInversion"/>
/// with the task's degradation A in the loss, <c>L(A(G(code)), y)</c>; the restoration is G(code) made consistent with
/// the observation (<see cref="IDegradation.Consistent"/>).
/// </summary>
/// <remarks>Gu, Shen, Zhou, "Image Processing Using Multi-Code GAN Prior", CVPR 2020, §3.3 (colorization,
/// super-resolution, inpainting, denoising by changing the loss).</remarks>
public static class GanRestoration
{
    /// <summary>Restores <paramref name="observations"/> <c>[N, C', H', W']</c> degraded by <paramref name="degradation"/> (null: plain inversion of clean images).</summary>
    /// <param name="g">The generator.</param>
    /// <param name="observations">// [N, C', H', W']</param>
    /// <param name="degradation">A; null for plain inversion.</param>
    /// <param name="method">Single code or mGANprior.</param>
    /// <param name="options">The shared inversion options; null for the defaults.</param>
    /// <param name="multi">mGANprior's N and ℓ; null for the defaults.</param>
    /// <param name="perceptual">φ; null for a pixel-only loss.</param>
    /// <param name="initialCodes">Starting codes (an encoder's output): <c>[N, ...]</c> single, <c>[N, codes, ...]</c> mGANprior; null for the default start.</param>
    /// <param name="progress">Told after every step.</param>
    /// <param name="cancel">Checked before every step.</param>
    public static RestorationResult Restore(IGenerator g, Tensor observations, IDegradation? degradation, PriorMethod method = PriorMethod.Single,
        InversionOptions? options = null, MultiCodeOptions? multi = null, IPerceptualFeatures? perceptual = null, Tensor? initialCodes = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancel = default)
    {
        if (method == PriorMethod.Single)
        {
            var r = GanInversion.Invert(g, observations, options, degradation, perceptual, initialCodes, progress, cancel);
            return new RestorationResult(Consistent(r.Reconstructions, observations, degradation), r.Reconstructions, r.Losses, r, null);
        }
        var m = MultiCodeInversion.Invert(g, observations, options, multi, degradation, perceptual, initialCodes, progress, cancel);
        return new RestorationResult(Consistent(m.Reconstructions, observations, degradation), m.Reconstructions, m.Losses, null, m);
    }

    static Tensor Consistent(Tensor generated, Tensor observations, IDegradation? degradation)
    {
        if (degradation is null) return generated;
        using var _ = no_grad();
        return degradation.Consistent(generated, observations.to(generated.dtype, generated.device));
    }
}
