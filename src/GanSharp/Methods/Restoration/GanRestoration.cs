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
    /// <summary>The most restarts <see cref="Restore"/> takes: their copies of the observations, codes and results are held together.</summary>
    public const int MaxRestarts = 64;

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
    /// Independent restorations from different starts (drawn with seeds <c>Seed</c>, <c>Seed + 1</c>, …; a single code in w
    /// or w+, which starts at w̄, starts the later restarts from random codes <see cref="LatentCodes.RandomStart"/>), batched
    /// as copies of the observations in one inversion of up to <see cref="InversionOptions.BatchSize"/> images at a time,
    /// whose consistent results are averaged: an estimate of the posterior mean, which for a task the observation leaves ambiguous
    /// (colorization's chroma) shrinks the guesses the restarts disagree on instead of committing to one. The average of
    /// consistent images stays consistent for inpainting, super-resolution and colorization (their consistency steps are
    /// linear in the guess). 1 (default): one restoration. Cost: <paramref name="restarts"/> times the work; for a few images,
    /// whose copies share a batch, less than that in time.
    /// </param>
    /// <returns>With several restarts, <see cref="RestorationResult.Restored"/>, <see cref="RestorationResult.Generated"/>
    /// and <see cref="RestorationResult.Losses"/> are the means over the restarts, and the inversion results hold every
    /// restart's <c>K·N</c> inversions, restart-major (restart k's images are rows <c>k·N … k·N + N − 1</c>).</returns>
    public static RestorationResult Restore(IGenerator g, Tensor observations, IDegradation? degradation, PriorMethod method = PriorMethod.Single,
        InversionOptions? options = null, MultiCodeOptions? multi = null, IPerceptualFeatures? perceptual = null, Tensor? initialCodes = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancel = default, int restarts = 1)
    {
        if (restarts is < 1 or > MaxRestarts)
            throw new GanSharpException($"restarts {restarts}: must be 1..{MaxRestarts} (the copies of the observations are held in memory together)");
        if (restarts > 1 && initialCodes is not null)
            throw new GanSharpException("restarts need random starting codes; given starting codes (an encoder's) would make every restart the same");
        if (restarts == 1) return Once(g, observations, degradation, method, options, multi, perceptual, initialCodes, progress, cancel);
        var o = options ?? new InversionOptions();
        long n = observations.shape[0];
        // The K restarts run as K copies of the observations in one inversion (restart-major: copy k is rows k·N … k·N + N − 1).
        // Every image's gradient comes from its own loss only, so this is K independent restorations, batched.
        var copies = observations.repeat(new long[] { restarts }.Concat(Enumerable.Repeat(1L, (int)observations.dim() - 1)).ToArray());
        var starts = Starts(g, method, o, multi, n, restarts, g.MeanLatent.device);
        var r = Once(g, copies, degradation, method, o, multi, perceptual, starts, progress, cancel);
        using var _ = no_grad();
        return r with
        {
            Restored = Mean(r.Restored), Generated = Mean(r.Generated), Losses = Mean(r.Losses),
        };

        Tensor Mean(Tensor x) => x.view(new long[] { restarts, n }.Concat(x.shape.Skip(1)).ToArray()).mean(new long[] { 0 });
    }

    /// <summary>
    /// The restarts' starting codes, restart-major: restart k's drawn with seed <c>Seed + k</c> as a restoration with that
    /// seed would draw them (a random z; mGANprior's random codes), except that a single code in w or w+ starts at w̄ only in
    /// the first restart and from random codes (<see cref="LatentCodes.RandomStart"/>) in the others, which would repeat it.
    /// </summary>
    static Tensor Starts(IGenerator g, PriorMethod method, InversionOptions o, MultiCodeOptions? multi, long n, int restarts, Device device)
    {
        var codeShape = LatentCodes.Shape(g, o.Space, 1).Skip(1).ToArray();
        int codes = method == PriorMethod.Single ? 0 : (multi ?? new MultiCodeOptions()).Validate(g).Codes;
        var parts = new Tensor[restarts];
        for (int k = 0; k < restarts; k++)
        {
            using var rng = new Generator(o.Seed + (ulong)k);
            parts[k] = method == PriorMethod.Single
                ? (k == 0 || o.Space == LatentSpace.Z ? LatentCodes.Start(g, o.Space, n, rng, device) : LatentCodes.RandomStart(g, o.Space, n, rng, device))
                : LatentCodes.RandomStart(g, o.Space, n * codes, rng, device).view(new[] { n, codes }.Concat(codeShape).ToArray());
        }
        return cat(parts);
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
