using GanSharp.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// mGANprior: inversion with N latent codes per image whose features at an intermediate layer ℓ are composed with
/// per-channel importance weights, <c>x = G₂(Σₙ αₙ ⊙ G₁(cₙ))</c>, all codes and weights optimised jointly with the same
/// objective, degradation and optimiser as <see cref="GanInversion"/>.
/// </summary>
/// <remarks>
/// <para>Gu, Shen, Zhou, "Image Processing Using Multi-Code GAN Prior", CVPR 2020. G₁ is
/// <see cref="IGenerator.FeaturesAt"/> up to ℓ and G₂ <see cref="IGenerator.SynthesizeFrom"/>; αₙ ∈ R^{C_ℓ}.</para>
/// <para>Choices this implementation makes: the codes start at random z (mapped to w for the w spaces; codes that
/// all started at w̄ would get identical gradients and never separate); α starts at 1/N, so the composition starts as
/// the mean feature map, and is optimised as N·α (so that Adam's step, about the learning rate, is relative to α's scale
/// for every N); for generators whose later layers take styles (StyleGAN) the <b>first code's</b> w feeds the
/// layers after ℓ (DCGAN's later layers take no code). The noise maps are drawn once per image and shared by its codes.</para>
/// </remarks>
public static class MultiCodeInversion
{
    /// <summary>
    /// Composes the features of N codes per image at <paramref name="layer"/> and finishes synthesis.
    /// </summary>
    /// <param name="g">The generator.</param>
    /// <param name="space">The codes' space.</param>
    /// <param name="layer">ℓ.</param>
    /// <param name="codes">// [B, N, ...code shape]</param>
    /// <param name="alphas">// [B, N, C_ℓ]</param>
    /// <param name="noise">Noise maps with batch B (shared by the codes of an image) or 1; null for fresh noise.</param>
    /// <returns>// [B, C, H, W]</returns>
    public static Tensor Compose(IGenerator g, LatentSpace space, int layer, Tensor codes, Tensor alphas, IReadOnlyList<Tensor>? noise = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        long b = codes.shape[0], n = codes.shape[1];
        using var scope = NewDisposeScope();
        var flat = codes.flatten(0, 1);                                          // [B·N, ...]
        var ws = LatentCodes.Styles(g, space, flat);                             // [B·N, S] or [B·N, K, S]
        var perCode = noise?.Select(t => t.shape[0] == 1 ? t : t.repeat_interleave(n, 0)).ToList(); // [B·N, 1, R, R]
        var features = g.FeaturesAt(layer, ws, perCode);                         // [B·N, C, H, W]
        var shape = features.shape;
        if (alphas.dim() != 3 || alphas.shape[0] != b || alphas.shape[1] != n || alphas.shape[2] != shape[1])
            throw new ArgumentException($"alphas must be [{b}, {n}, {shape[1]}], got [{string.Join(", ", alphas.shape)}]", nameof(alphas));
        var composed = (features.view(b, n, shape[1], shape[2], shape[3]) * alphas.view(b, n, shape[1], 1, 1)).sum(1); // [B, C, H, W]
        var first = ws.view(new[] { b, n }.Concat(ws.shape.Skip(1)).ToArray())[.., 0];                             // [B, ...] the first code's w
        return g.SynthesizeFrom(layer, composed, first, noise).MoveToOuterDisposeScope();
    }

    /// <summary>Channels of layer <paramref name="layer"/>'s features, C_ℓ.</summary>
    public static int LayerChannels(IGenerator g, int layer)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = g.MeanLatent.detach().unsqueeze(0); // [1, S]
        var noise = g.NoiseShapes.Select(s => zeros(new long[] { 1 }.Concat(s).ToArray(), device: w.device)).ToList();
        return (int)g.FeaturesAt(layer, w, noise.Count > 0 ? noise : null).shape[1];
    }

    /// <summary>Inverts every observation with <paramref name="multi"/>'s N codes at layer ℓ.</summary>
    /// <param name="g">The generator (eval mode and frozen weights during the call, restored after).</param>
    /// <param name="observations">Images in [-1, 1], or their degraded versions. // [B, C', H', W']</param>
    /// <param name="options">The shared options (space, steps, learning rate, perceptual weight, batch size, seed).</param>
    /// <param name="multi">N and ℓ.</param>
    /// <param name="degradation">A; null for plain inversion.</param>
    /// <param name="perceptual">φ; null for a pixel-only loss.</param>
    /// <param name="initialCodes">Starting codes <c>[B, N, ...]</c>; null for random codes.</param>
    /// <param name="progress">Told after every step.</param>
    /// <param name="cancel">Checked before every step.</param>
    public static MultiCodeResult Invert(IGenerator g, Tensor observations, InversionOptions? options = null, MultiCodeOptions? multi = null,
        IDegradation? degradation = null, IPerceptualFeatures? perceptual = null, Tensor? initialCodes = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        var o = (options ?? new InversionOptions()).Validate();
        var m = (multi ?? new MultiCodeOptions()).Validate(g);
        int layer = m.ResolveLayer(g), codesPerImage = m.Codes;
        long total = GanInversion.CheckObservations(g, observations, degradation);
        var device = g.MeanLatent.device;
        using var guard = new GeneratorGuard(g);
        using var rng = new Generator(o.Seed);
        int channels = LayerChannels(g, layer);
        var codeShape = LatentCodes.Shape(g, o.Space, 1).Skip(1).ToArray();
        if (initialCodes is not null && !initialCodes.shape.SequenceEqual(new[] { total, codesPerImage }.Concat(codeShape)))
            throw new GanSharpException($"initial codes are [{string.Join(", ", initialCodes.shape)}]; expected [{total}, {codesPerImage}, {string.Join(", ", codeShape)}]");
        int batches = (int)((total + o.BatchSize - 1) / o.BatchSize);
        var codes = new List<Tensor>();
        var alphas = new List<Tensor>();
        var recon = new List<Tensor>();
        var losses = new List<Tensor>();
        var noiseParts = g.NoiseShapes.Select(_ => new List<Tensor>()).ToList();
        var history = new double[o.Steps];
        for (int bi = 0; bi < batches; bi++)
        {
            int lo = bi * o.BatchSize, hi = (int)Math.Min(total, lo + o.BatchSize), b = hi - lo;
            using var scope = NewDisposeScope();
            var y = observations[lo..hi].detach().to(float32, device); // [b, C', H', W']
            var start = initialCodes is null
                ? LatentCodes.RandomStart(g, o.Space, (long)b * codesPerImage, rng, device).view(new long[] { b, codesPerImage }.Concat(codeShape).ToArray())
                : initialCodes[lo..hi].detach().to(float32, device).clone();
            var code = new Parameter(start, requires_grad: true);                                                // [b, N, ...]
            // α = gain / N with the gain starting at 1: Adam moves every parameter by about the learning rate per step, so the
            // optimised quantity must be O(1) whatever N is (α itself, starting at 1/N, would be overshot for large N).
            var gain = new Parameter(ones(new long[] { b, codesPerImage, channels }, device: device), requires_grad: true); // [b, N, C_ℓ]
            Tensor Alpha() => gain / codesPerImage;
            var noise = GanInversion.MakeNoise(g, b, rng, device, optimise: false);
            var objective = new InversionObjective(y, degradation, perceptual, o.PerceptualWeight);
            Tensor Render() => Compose(g, o.Space, layer, code, Alpha(), noise.Count > 0 ? noise : null);
            Func<Tensor>? prior = o.LatentPriorWeight > 0
                ? () => o.LatentPriorWeight * LatentCodes.Prior(g, o.Space, code.flatten(0, 1)).view(b, codesPerImage).mean(new long[] { 1 })
                : null;
            int batch = bi;
            var (final, steps) = LatentOptimiser.Run(new[] { code, gain }, Render, prior, objective, o,
                (step, loss) => progress?.Report(new InversionProgress(step, o.Steps, batch, batches, loss)), cancel);
            for (int s = 0; s < o.Steps; s++) history[s] += steps[s] * b / total;
            using (no_grad())
            {
                recon.Add(Render().detach().MoveToOuterDisposeScope());
                codes.Add(code.detach().clone().MoveToOuterDisposeScope());
                alphas.Add(Alpha().detach().MoveToOuterDisposeScope());
                losses.Add(final.MoveToOuterDisposeScope());
                for (int i = 0; i < noise.Count; i++) noiseParts[i].Add(noise[i].detach().clone().MoveToOuterDisposeScope());
            }
        }
        return new MultiCodeResult(o.Space, layer, cat(codes), cat(alphas), noiseParts.Select(p => cat(p)).ToList(), cat(recon), cat(losses), history);
    }
}
