using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>What a restoration produced.</summary>
/// <param name="Restored">G(code) for every observation. // [N, C, H, W]</param>
/// <param name="Losses">The final per-image objective. // [N]</param>
/// <param name="Single">The single-code inversion, when that method ran.</param>
/// <param name="Multi">The mGANprior inversion, when that method ran.</param>
public sealed record RestorationResult(Tensor Restored, Tensor Losses, InversionResult? Single, MultiCodeResult? Multi);

/// <summary>
/// Image restoration with a GAN prior: the inversion of <see cref="GanInversion"/> or <see cref="MultiCodeInversion"/>
/// with the task's degradation A in the loss, <c>L(A(G(code)), y)</c>; the restoration is G(code).
/// </summary>
/// <remarks>Gu, Shen, Zhou, "Image Processing Using Multi-Code GAN Prior", CVPR 2020, §3.3 (colorization,
/// super-resolution, inpainting, denoising by changing the loss).</remarks>
public static class GanRestoration
{
    /// <summary>Restores <paramref name="observations"/> <c>[N, C', H', W']</c> degraded by <paramref name="degradation"/> (null: plain inversion of clean images).</summary>
    public static RestorationResult Restore(IGenerator g, Tensor observations, IDegradation? degradation, PriorMethod method = PriorMethod.Single,
        InversionOptions? options = null, MultiCodeOptions? multi = null, IPerceptualFeatures? perceptual = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancel = default)
    {
        if (method == PriorMethod.Single)
        {
            var r = GanInversion.Invert(g, observations, options, degradation, perceptual, progress: progress, cancel: cancel);
            return new RestorationResult(r.Reconstructions, r.Losses, r, null);
        }
        var m = MultiCodeInversion.Invert(g, observations, options, multi, degradation, perceptual, progress: progress, cancel: cancel);
        return new RestorationResult(m.Reconstructions, m.Losses, null, m);
    }
}
