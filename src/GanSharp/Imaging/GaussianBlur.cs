using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Imaging;

/// <summary>
/// Separable Gaussian blur of image batches: a controlled, known degradation (the metric validity check blurs real
/// images lightly and heavily to test that a feature space ranks them between the real data and noise).
/// </summary>
/// <remarks>
/// The kernel is the sampled Gaussian exp(−x²/2σ²) at integer offsets −r..r with radius r = ⌈3σ⌉, normalised to sum
/// to 1; edges are replicated, so a constant image stays constant. σ = 0 is the identity.
/// </remarks>
public static class GaussianBlur
{
    /// <summary>The largest σ accepted (pixels): the kernel then spans 2·⌈3σ⌉ + 1 = 193 taps.</summary>
    public const double MaxSigma = 32;

    /// <summary>The kernel radius r = ⌈3σ⌉ used for <paramref name="sigma"/> (0 for σ = 0).</summary>
    public static int Radius(double sigma) => (int)Math.Ceiling(3 * CheckSigma(sigma));

    /// <summary>The normalised 1-D kernel for <paramref name="sigma"/>, taps −r..r.</summary>
    /// <returns>2r + 1 weights summing to 1 (a single 1 for σ = 0).</returns>
    public static double[] Kernel(double sigma)
    {
        int r = Radius(sigma);
        if (r == 0) return new[] { 1.0 };
        var k = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) total += k[i + r] = Math.Exp(-(double)i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= total;
        return k;
    }

    /// <summary>Blurs every channel of every image with a Gaussian of standard deviation <paramref name="sigma"/> pixels.</summary>
    /// <param name="images">Images of any float dtype and device. // [N, C, H, W]</param>
    /// <param name="sigma">Standard deviation in pixels, 0..<see cref="MaxSigma"/>; 0 returns a copy.</param>
    /// <returns>Blurred images, same dtype and device. // [N, C, H, W]</returns>
    public static Tensor Apply(Tensor images, double sigma)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        int r = Radius(sigma);
        if (r == 0) return images.clone();
        using var scope = NewDisposeScope();
        long c = images.shape[1];
        var k = tensor(Kernel(sigma), float64).to(images.dtype, images.device);      // [2r+1]
        var horizontal = k.reshape(1, 1, 1, -1).expand(c, 1, 1, 2 * r + 1);          // [C, 1, 1, 2r+1]
        var vertical = k.reshape(1, 1, -1, 1).expand(c, 1, 2 * r + 1, 1);            // [C, 1, 2r+1, 1]
        var padded = F.pad(images, new long[] { r, r, r, r }, PaddingModes.Replicate); // [N, C, H+2r, W+2r]
        var rows = F.conv2d(padded, horizontal, groups: c);                          // [N, C, H+2r, W]
        return F.conv2d(rows, vertical, groups: c).MoveToOuterDisposeScope();         // [N, C, H, W]
    }

    /// <summary>Blurs each image with its own σ (a batch of blur strengths, e.g. for augmentation).</summary>
    /// <param name="images">Images of any float dtype and device. // [N, C, H, W]</param>
    /// <param name="sigmas">σ of each image in pixels, 0..<paramref name="maxSigma"/> (0 leaves an image as it is). // [N]</param>
    /// <param name="maxSigma">The largest σ allowed in <paramref name="sigmas"/>: sets the kernel radius ⌈3·maxSigma⌉ for the whole batch.</param>
    /// <returns>Blurred images, same dtype and device. // [N, C, H, W]</returns>
    public static Tensor Apply(Tensor images, Tensor sigmas, double maxSigma)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(sigmas);
        if (images.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        if (sigmas.dim() != 1 || sigmas.shape[0] != images.shape[0])
            throw new ArgumentException($"sigmas must be [{images.shape[0]}], got [{string.Join(", ", sigmas.shape)}]", nameof(sigmas));
        int r = Radius(maxSigma);
        if (r == 0) return images.clone();
        using var scope = NewDisposeScope();
        var s64 = sigmas.to(float64).cpu();
        double lo = s64.min().item<double>(), hi = s64.max().item<double>();
        if (!(lo >= 0) || !(hi <= maxSigma)) throw new GanSharpException($"Gaussian blur: per-image σ in [{lo}, {hi}] outside 0..{maxSigma}");
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var offsets = arange(-r, r + 1, dtype: float64);                                     // [2r+1]
        var s = s64.clamp_min(1e-6).unsqueeze(1);                                           // [N, 1]; σ → 0 gives a unit impulse
        var k = (-(offsets * offsets).unsqueeze(0) / (2 * s * s)).exp();                    // [N, 2r+1]
        k = (k / k.sum(1, keepdim: true)).repeat_interleave(c, 0).to(images.dtype, images.device); // [N·C, 2r+1]
        var horizontal = k.reshape(n * c, 1, 1, 2 * r + 1);                                   // [N·C, 1, 1, 2r+1]
        var vertical = k.reshape(n * c, 1, 2 * r + 1, 1);                                     // [N·C, 1, 2r+1, 1]
        var padded = F.pad(images.reshape(1, n * c, h, w), new long[] { r, r, r, r }, PaddingModes.Replicate); // [1, N·C, H+2r, W+2r]
        var rows = F.conv2d(padded, horizontal, groups: n * c);                                // [1, N·C, H+2r, W]
        return F.conv2d(rows, vertical, groups: n * c).reshape(n, c, h, w).MoveToOuterDisposeScope(); // [N, C, H, W]
    }

    static double CheckSigma(double sigma) =>
        sigma is >= 0 and <= MaxSigma ? sigma
            : throw new GanSharpException($"Gaussian blur σ = {sigma}: must be between 0 and {MaxSigma} pixels");
}
