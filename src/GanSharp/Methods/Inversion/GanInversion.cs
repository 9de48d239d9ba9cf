using GanSharp.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// Optimisation-based GAN inversion with one code per image: find the code c (z, w or w+) minimising
/// <c>mean((A(G(c)) − y)²) + λ·perceptual(A(G(c)), y)</c> (+ an optional latent prior) with Adam, where A is a
/// degradation (identity for plain inversion, see <see cref="IDegradation"/>). A pure function over
/// <see cref="IGenerator"/>: the generator is left as it was found.
/// </summary>
/// <remarks>
/// <para>Zhu, Krähenbühl, Shechtman, Efros, "Generative Visual Manipulation on the Natural Image Manifold", ECCV 2016
/// (optimisation-based projection); Abdal, Qin, Wonka, "Image2StyleGAN", ICCV 2019 (w+ space); Karras et al.,
/// "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020 (projector: start at w̄, Adam, optimise noise).
/// The perceptual term uses GanSharp's own feature network instead of VGG16 (<see cref="FeatureNetworkPerceptual"/>),
/// squared rather than the spec's L1 distance of unit-normalised features.</para>
/// <para>Start: a random z (space z), or w̄ in w and w+ (for DCGAN w = z and w̄ = 0); an encoder or an earlier
/// inversion can provide the start instead (<c>initialCodes</c>). Noise maps of generators with noise inputs are drawn
/// once per image from the seed and held fixed, or optimised with <see cref="InversionOptions.OptimiseNoise"/> (no noise
/// regularisation).</para>
/// </remarks>
public static class GanInversion
{
    /// <summary>Inverts every observation; images are processed in batches of <see cref="InversionOptions.BatchSize"/>.</summary>
    /// <param name="g">The generator (any mode; eval mode and frozen weights are used during the call and restored after).</param>
    /// <param name="observations">Images in [-1, 1], or their degraded versions when <paramref name="degradation"/> is given. // [N, C', H', W']</param>
    /// <param name="options">Space, steps, learning rate, weights; null for the defaults.</param>
    /// <param name="degradation">A, applied to G(c) before the comparison; null for plain inversion.</param>
    /// <param name="perceptual">φ of the perceptual term; null for a pixel-only loss.</param>
    /// <param name="initialCodes">Starting codes (<see cref="LatentCodes.CheckStart"/> shapes); null for the default start.</param>
    /// <param name="progress">Told after every step.</param>
    /// <param name="cancel">Checked before every step.</param>
    public static InversionResult Invert(IGenerator g, Tensor observations, InversionOptions? options = null, IDegradation? degradation = null,
        IPerceptualFeatures? perceptual = null, Tensor? initialCodes = null, IProgress<InversionProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        var o = (options ?? new InversionOptions()).Validate();
        long n = CheckObservations(g, observations, degradation);
        if (initialCodes is not null && initialCodes.shape[0] != n)
            throw new GanSharpException($"{initialCodes.shape[0]} initial codes for {n} images");
        var device = g.MeanLatent.device;
        using var guard = new GeneratorGuard(g);
        using var rng = new Generator(o.Seed);
        int batches = (int)((n + o.BatchSize - 1) / o.BatchSize);
        var codes = new List<Tensor>();
        var recon = new List<Tensor>();
        var losses = new List<Tensor>();
        var noiseParts = g.NoiseShapes.Select(_ => new List<Tensor>()).ToList();
        var history = new double[o.Steps];
        for (int b = 0; b < batches; b++)
        {
            int lo = b * o.BatchSize, hi = (int)Math.Min(n, lo + o.BatchSize), m = hi - lo;
            using var scope = NewDisposeScope();
            var y = observations[lo..hi].detach().to(float32, device); // [m, C', H', W']
            var start = initialCodes is null ? LatentCodes.Start(g, o.Space, m, rng, device) : LatentCodes.CheckStart(g, o.Space, initialCodes[lo..hi], m, device);
            var code = new Parameter(start, requires_grad: true);
            var noise = MakeNoise(g, m, rng, device, o.OptimiseNoise);
            var leaves = new List<Parameter> { code };
            if (o.OptimiseNoise) leaves.AddRange(noise.Cast<Parameter>());
            var objective = new InversionObjective(y, degradation, perceptual, o.PerceptualWeight);
            Tensor Render() => LatentCodes.Render(g, o.Space, code, noise.Count > 0 ? noise : null);
            Func<Tensor>? prior = o.LatentPriorWeight > 0 ? () => o.LatentPriorWeight * LatentCodes.Prior(g, o.Space, code) : null;
            int batch = b;
            var (final, steps) = LatentOptimiser.Run(leaves, Render, prior, objective, o,
                (step, loss) => progress?.Report(new InversionProgress(step, o.Steps, batch, batches, loss)), cancel);
            for (int s = 0; s < o.Steps; s++) history[s] += steps[s] * m / n;
            using (no_grad())
            {
                recon.Add(Render().detach().MoveToOuterDisposeScope());
                codes.Add(code.detach().clone().MoveToOuterDisposeScope());
                losses.Add(final.MoveToOuterDisposeScope());
                for (int i = 0; i < noise.Count; i++) noiseParts[i].Add(noise[i].detach().clone().MoveToOuterDisposeScope());
            }
        }
        return new InversionResult(o.Space, cat(codes), noiseParts.Select(p => cat(p)).ToList(), cat(recon), cat(losses), history);
    }

    /// <summary>Checks observations against the generator and the degradation; returns N.</summary>
    internal static long CheckObservations(IGenerator g, Tensor observations, IDegradation? degradation)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var expected = degradation?.ObservedShape(g.Output) ?? g.Output;
        if (observations.dim() != 4 || observations.shape[0] < 1 || !observations.shape.Skip(1).SequenceEqual(expected.Batch(1).Skip(1)))
            throw new GanSharpException($"observations are [{string.Join(", ", observations.shape)}] but the generator{(degradation is null ? "" : $" with {degradation.Name}")} expects [N, {expected.Channels}, {expected.Height}, {expected.Width}]");
        return observations.shape[0];
    }

    /// <summary>Fixed (or optimised) noise maps for <paramref name="n"/> images, one per noise input. // [n, 1, R, R] each</summary>
    internal static IReadOnlyList<Tensor> MakeNoise(IGenerator g, long n, Generator rng, Device device, bool optimise) =>
        g.NoiseShapes.Select(s =>
        {
            var t = randn(new[] { n }.Concat(s).ToArray(), generator: rng).to(device);
            return optimise ? new Parameter(t, requires_grad: true) : t;
        }).ToList();
}
