using GanSharp.Diagnostics;
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
    /// <param name="restarts">
    /// Independent restorations from different starts (seeds <c>Seed</c>, <c>Seed + 1</c>, …; a single code in w or w+,
    /// which starts at w̄, starts the later restarts from random codes <see cref="LatentCodes.RandomStart"/>) whose consistent
    /// results are averaged: an estimate of the posterior mean, which for a task the observation leaves ambiguous
    /// (colorization's chroma) shrinks the guesses the restarts disagree on instead of committing to one. The average of
    /// consistent images stays consistent for inpainting, super-resolution and colorization (their consistency steps are
    /// linear in the guess). 1 (default): one restoration. Cost: <paramref name="restarts"/> times the time.
    /// </param>
    /// <returns>With several restarts, <see cref="RestorationResult.Restored"/>, <see cref="RestorationResult.Generated"/>
    /// and <see cref="RestorationResult.Losses"/> are the means over the restarts, and the inversion results are the first restart's.</returns>
    public static RestorationResult Restore(IGenerator g, Tensor observations, IDegradation? degradation, PriorMethod method = PriorMethod.Single,
        InversionOptions? options = null, MultiCodeOptions? multi = null, IPerceptualFeatures? perceptual = null, Tensor? initialCodes = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancel = default, int restarts = 1)
    {
        if (restarts < 1) throw new GanSharpException($"restarts {restarts}: must be 1 or more");
        if (restarts > 1 && initialCodes is not null)
            throw new GanSharpException("restarts need random starting codes; given starting codes (an encoder's) would make every restart the same");
        if (restarts == 1) return Once(g, observations, degradation, method, options, multi, perceptual, initialCodes, progress, cancel);
        var o = options ?? new InversionOptions();
        RestorationResult? first = null;
        Tensor? restored = null, generated = null, losses = null;
        for (int k = 0; k < restarts; k++)
        {
            using var scope = k == 0 ? null : NewDisposeScope(); // the first restart's result is returned; the others only add to the sums
            // Each restart reports as a further set of batches, so that the caller's progress runs once from 0 to 1.
            int restart = k;
            var shifted = progress is null ? null
                : new SyncProgress<InversionProgress>(p => progress.Report(p with { Batch = restart * p.Batches + p.Batch, Batches = restarts * p.Batches }));
            var seeded = o with { Seed = o.Seed + (ulong)k };
            // One code in w or w+ starts at w̄ whatever the seed; the later restarts start from random codes instead, or they would repeat the first.
            Tensor? start = null;
            if (k > 0 && method == PriorMethod.Single && seeded.Space != LatentSpace.Z)
            {
                using var rng = new Generator(seeded.Seed);
                start = LatentCodes.RandomStart(g, seeded.Space, observations.shape[0], rng, observations.device);
            }
            var r = Once(g, observations, degradation, method, seeded, multi, perceptual, start, shifted, cancel);
            restored = Sum(restored, r.Restored);
            generated = Sum(generated, r.Generated);
            losses = Sum(losses, r.Losses);
            first ??= r;
        }
        return first! with { Restored = restored!.div_(restarts), Generated = generated!.div_(restarts), Losses = losses!.div_(restarts) };

        // A running sum kept outside the restarts' scopes: a copy of the first term, the later ones added in place.
        static Tensor Sum(Tensor? sum, Tensor term)
        {
            using var _ = no_grad();
            return sum is null ? term.detach().clone() : sum.add_(term.detach());
        }
    }

    static RestorationResult Once(IGenerator g, Tensor observations, IDegradation? degradation, PriorMethod method, InversionOptions? options,
        MultiCodeOptions? multi, IPerceptualFeatures? perceptual, Tensor? initialCodes, IProgress<InversionProgress>? progress, CancellationToken cancel)
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
