using GanSharp.Imaging;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// Classical (non-learned) restorations, the baselines a GAN prior has to beat: bicubic up-sampling for
/// super-resolution, harmonic (diffusion) inpainting, luminance-preserving mean-colour colorization and Gaussian
/// filtering for denoising. Pure functions of the observation (plus statistics of training images where a method needs
/// them: <see cref="MeanChroma"/>, <see cref="ChooseBlurSigma"/>); images in [-1, 1].
/// </summary>
public static class ClassicalRestoration
{
    /// <summary>The blur widths <see cref="ChooseBlurSigma"/> tries by default: 0 (no filtering) and 0.3 to 3.0 px in steps of 0.1.</summary>
    public static IReadOnlyList<double> DefaultBlurSigmas { get; } = new[] { 0.0 }.Concat(Enumerable.Range(3, 28).Select(i => i / 10.0)).ToArray();

    /// <summary>
    /// Bicubic up-sampling by <paramref name="scale"/> (<c>interpolate</c>, bicubic, align_corners false: pixel centres
    /// mapped half-pixel, edges clamped), clamped to [-1, 1] (the cubic kernel overshoots at edges).
    /// </summary>
    /// <param name="low">// [N, C, h, w]</param>
    /// <param name="scale">The up-sampling factor (≥ 1).</param>
    /// <returns>// [N, C, h·scale, w·scale]</returns>
    public static Tensor Bicubic(Tensor low, int scale)
    {
        CheckImages(low, nameof(low));
        if (scale < 1) throw new GanSharpException($"bicubic up-sampling by {scale}: the scale must be 1 or more");
        using var scope = NewDisposeScope();
        var up = F.interpolate(low, new long[] { low.shape[2] * scale, low.shape[3] * scale }, mode: InterpolationMode.Bicubic, align_corners: false); // [N, C, H, W]
        return up.clamp(-1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Harmonic (diffusion) inpainting: the missing pixels solve Laplace's equation with the known pixels as boundary
    /// values. Jacobi iteration from the per-image, per-channel mean of the known pixels: every missing pixel becomes the
    /// mean of its 4 neighbours (outside the image a pixel's own value: a zero-flux border), known pixels stay fixed,
    /// until no pixel changes by more than <paramref name="tolerance"/> or after <paramref name="maxIterations"/>.
    /// Linear ramps (any discrete harmonic function) are reproduced exactly inside a hole they surround.
    /// </summary>
    /// <param name="observed">// [N, C, H, W]; the values of missing pixels are ignored</param>
    /// <param name="mask">1 = known, 0 = missing, shared by every image and channel. // [1, 1, H, W] or [H, W]</param>
    /// <param name="tolerance">Largest change of a pixel in the last iteration at which to stop.</param>
    /// <param name="maxIterations">Cap on the Jacobi iterations.</param>
    /// <returns>// [N, C, H, W], known pixels equal to <paramref name="observed"/></returns>
    public static Tensor HarmonicInpaint(Tensor observed, Tensor mask, double tolerance = 1e-5, int maxIterations = 20_000)
    {
        CheckImages(observed, nameof(observed));
        ArgumentNullException.ThrowIfNull(mask);
        if (!(tolerance > 0)) throw new GanSharpException($"harmonic inpainting tolerance {tolerance}: must be positive");
        if (maxIterations < 1) throw new GanSharpException($"harmonic inpainting: {maxIterations} iterations; must be 1 or more");
        if (mask.shape[^2] != observed.shape[2] || mask.shape[^1] != observed.shape[3] || mask.numel() != observed.shape[2] * observed.shape[3])
            throw new GanSharpException($"inpainting mask [{string.Join(", ", mask.shape)}] does not match images [{string.Join(", ", observed.shape)}]");
        using var scope = NewDisposeScope();
        var known = mask.detach().to(observed.dtype, observed.device).reshape(1, 1, observed.shape[2], observed.shape[3]); // [1, 1, H, W]
        var missing = 1 - known;                                                                                              // [1, 1, H, W]
        if (known.sum().item<float>() == 0) throw new GanSharpException("harmonic inpainting: the mask marks every pixel as missing");
        var y = observed.detach() * known;                                                                                    // [N, C, H, W]
        var start = y.sum(new long[] { 2, 3 }, keepdim: true) / known.sum();                                                  // [N, C, 1, 1]
        var x = y + start * missing;                                                                                          // [N, C, H, W]
        for (int i = 0; i < maxIterations; i++)
        {
            using var step = NewDisposeScope();
            var p = F.pad(x, new long[] { 1, 1, 1, 1 }, PaddingModes.Replicate);                                              // [N, C, H+2, W+2]
            long h = x.shape[2], w = x.shape[3];
            var neighbours = (p.narrow(2, 0, h).narrow(3, 1, w) + p.narrow(2, 2, h).narrow(3, 1, w)
                              + p.narrow(2, 1, h).narrow(3, 0, w) + p.narrow(2, 1, h).narrow(3, 2, w)) * 0.25;               // [N, C, H, W]
            var next = y + neighbours * missing;
            bool done = (i + 1) % 16 == 0 && (next - x).abs().max().item<float>() < tolerance; // checked every 16 iterations: .item is a sync
            var previous = x;
            x = next.MoveToOuterDisposeScope();
            previous.Dispose(); // the iterates would otherwise pile up in the outer scope until the end
            if (done) break;
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mean chroma of RGB training images: <c>mean(x − luma(x))</c> over the images, per pixel (or over all pixels with
    /// <paramref name="perPixel"/> false), a colour offset whose luma is 0. Compute it on training images only.
    /// </summary>
    /// <param name="training">// [N, 3, H, W]</param>
    /// <param name="perPixel">A mean colour per pixel position (default) or one global colour.</param>
    /// <returns>// [1, 3, H, W] per pixel, [1, 3, 1, 1] global</returns>
    public static Tensor MeanChroma(Tensor training, bool perPixel = true)
    {
        CheckImages(training, nameof(training));
        if (training.shape[1] != 3) throw new GanSharpException($"mean chroma needs RGB training images; these have {training.shape[1]} channel(s)");
        using var scope = NewDisposeScope();
        var chroma = training.detach() - ColorOps.RgbToGray(training.detach()); // [N, 3, H, W]
        var mean = chroma.mean(new long[] { 0 }, keepdim: true);                // [1, 3, H, W]
        if (!perPixel) mean = mean.mean(new long[] { 2, 3 }, keepdim: true);    // [1, 3, 1, 1]
        return mean.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Luminance-preserving colorization: the observed luma plus <paramref name="chroma"/> (the mean-colour baseline's
    /// <see cref="MeanChroma"/> of training images, or a restoration's own colours), its luma removed first so that the
    /// luma of the result is the observation exactly. Where a pixel's colour would leave [-1, 1] the chroma is scaled down towards gray just enough
    /// to stay inside (the luma is unchanged by that).
    /// </summary>
    /// <param name="gray">The observed luma in [-1, 1]. // [N, 1, H, W]</param>
    /// <param name="chroma">One colour offset for all images, <c>[1, 3, H, W]</c> or <c>[1, 3, 1, 1]</c>, or one per image,
    /// <c>[N, 3, H, W]</c> (e.g. a GAN's colours, whose own luma is removed here). // [1|N, 3, H|1, W|1]</param>
    /// <returns>// [N, 3, H, W] in [-1, 1], with <c>ColorOps.RgbToGray(result) == gray</c></returns>
    public static Tensor Colorize(Tensor gray, Tensor chroma)
    {
        CheckImages(gray, nameof(gray));
        ArgumentNullException.ThrowIfNull(chroma);
        if (gray.shape[1] != 1) throw new GanSharpException($"colorization needs gray observations; these have {gray.shape[1]} channels");
        if (chroma.dim() != 4 || (chroma.shape[0] != 1 && chroma.shape[0] != gray.shape[0]) || chroma.shape[1] != 3)
            throw new GanSharpException($"chroma must be [1, 3, H, W], [1, 3, 1, 1] or [{gray.shape[0]}, 3, H, W] for {gray.shape[0]} gray images, got [{string.Join(", ", chroma.shape)}]");
        if ((chroma.shape[2], chroma.shape[3]) != (1, 1) && (chroma.shape[2], chroma.shape[3]) != (gray.shape[2], gray.shape[3]))
            throw new GanSharpException($"the chroma is {chroma.shape[3]}x{chroma.shape[2]} but the gray images are {gray.shape[3]}x{gray.shape[2]}",
                "give colours of the restored images' size (a mean chroma: computed on training images of that size)");
        using var scope = NewDisposeScope();
        var g = gray.detach();
        var c = chroma.detach().to(g.dtype, g.device);
        c = (c - ColorOps.RgbToGray(c)).expand(g.shape[0], 3, g.shape[2], g.shape[3]); // [N, 3, H, W], luma 0
        var room = where(c.ge(0), 1 - g, 1 + g).clamp_min(0);                           // [N, 3, H, W]: distance to the bound c moves towards
        var t = (room / c.abs().clamp_min(1e-12)).amin(new long[] { 1 }, keepdim: true).clamp(0, 1); // [N, 1, H, W]
        return (g + t * c).MoveToOuterDisposeScope();                                 // [N, 3, H, W]
    }

    /// <summary>
    /// Gaussian filtering with standard deviation <paramref name="sigma"/> pixels (separable, kernel radius ⌈3σ⌉, edges
    /// replicated so that a constant image stays constant); σ = 0 returns a copy.
    /// </summary>
    /// <param name="images">// [N, C, H, W]</param>
    /// <param name="sigma">Standard deviation of the kernel in pixels.</param>
    /// <returns>// [N, C, H, W]</returns>
    public static Tensor GaussianBlur(Tensor images, double sigma)
    {
        CheckImages(images, nameof(images));
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new GanSharpException($"Gaussian blur sigma {sigma}: must be 0 or positive");
        if (sigma == 0) return images.detach().clone();
        using var scope = NewDisposeScope();
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var k = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) k[i + radius] = Math.Exp(-i * i / (2 * sigma * sigma));
        double total = k.Sum();
        long c = images.shape[1];
        var kernel = tensor(k.Select(v => v / total).ToArray(), float64).to(images.dtype, images.device); // [K]
        var horizontal = kernel.reshape(1, 1, 1, -1).expand(c, 1, 1, k.Length);                           // [C, 1, 1, K]
        var vertical = kernel.reshape(1, 1, -1, 1).expand(c, 1, k.Length, 1);                             // [C, 1, K, 1]
        var x = F.pad(images.detach(), new long[] { radius, radius, radius, radius }, PaddingModes.Replicate); // [N, C, H+2r, W+2r]
        x = F.conv2d(F.conv2d(x, horizontal, groups: c), vertical, groups: c);                            // [N, C, H, W]
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Gaussian blur width that best denoises <paramref name="training"/> images carrying synthetic white Gaussian noise
    /// of standard deviation <paramref name="noiseSigma"/>: the candidate of least mean squared error to the clean images
    /// (outputs clamped to [-1, 1]). Choose it on training images, never on the images being evaluated.
    /// </summary>
    /// <param name="training">Clean training images. // [N, C, H, W]</param>
    /// <param name="noiseSigma">The noise level, in [-1, 1] units.</param>
    /// <param name="rng">Source of the synthetic noise; null uses torch's global generator.</param>
    /// <param name="candidates">Blur widths in pixels to try; null: <see cref="DefaultBlurSigmas"/>.</param>
    /// <returns>The chosen width in pixels (0 when no filtering is best).</returns>
    public static double ChooseBlurSigma(Tensor training, double noiseSigma, Generator? rng = null, IReadOnlyList<double>? candidates = null)
    {
        CheckImages(training, nameof(training));
        if (!(noiseSigma >= 0) || !double.IsFinite(noiseSigma)) throw new GanSharpException($"noise sigma {noiseSigma}: must be 0 or positive");
        candidates ??= DefaultBlurSigmas;
        if (candidates.Count == 0) throw new GanSharpException("choosing a blur width needs at least one candidate");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var clean = training.detach();
        var noisy = clean + noiseSigma * randn(clean.shape, dtype: clean.dtype, generator: rng).to(clean.device); // [N, C, H, W]
        double best = double.PositiveInfinity, chosen = candidates[0];
        foreach (double s in candidates)
        {
            using var each = NewDisposeScope();
            double mse = (GaussianBlur(noisy, s).clamp(-1, 1) - clean).square().mean().to(float64).item<double>();
            if (mse < best) (best, chosen) = (mse, s);
        }
        return chosen;
    }

    static void CheckImages(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        if (images.dim() != 4) throw new GanSharpException($"{name}: images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]");
    }
}
