using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Metrics;

/// <summary>Options of <see cref="ImageQuality.Ssim"/>; the defaults are the paper's.</summary>
/// <param name="WindowSize">Side of the Gaussian window (odd).</param>
/// <param name="Sigma">Standard deviation of the Gaussian window in pixels.</param>
/// <param name="K1">Stabiliser of the luminance term: C₁ = (K₁L)².</param>
/// <param name="K2">Stabiliser of the contrast-structure term: C₂ = (K₂L)².</param>
/// <param name="DataRange">L, the dynamic range of the pixels: 2 for images in [-1, 1].</param>
public sealed record SsimOptions(int WindowSize = 11, double Sigma = 1.5, double K1 = 0.01, double K2 = 0.03, double DataRange = 2.0)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public SsimOptions Validate()
    {
        if (WindowSize < 1 || WindowSize % 2 == 0) throw new GanSharpException($"SSIM window size {WindowSize}: must be a positive odd number");
        if (!(Sigma > 0) || !double.IsFinite(Sigma)) throw new GanSharpException($"SSIM sigma {Sigma}: must be positive");
        if (!(K1 > 0) || !(K2 > 0)) throw new GanSharpException($"SSIM constants K1 = {K1}, K2 = {K2}: must be positive");
        if (!(DataRange > 0) || !double.IsFinite(DataRange)) throw new GanSharpException($"SSIM data range {DataRange}: must be positive");
        return this;
    }
}

/// <summary>
/// Full-reference image quality for paired images in [-1, 1] (restoration, translation with ground truth,
/// reconstruction): PSNR and SSIM, per image and as means. Both are differentiable; SSIM is meant to serve as a loss.
/// </summary>
public static class ImageQuality
{
    /// <summary>Peak-to-peak range of pixels in [-1, 1].</summary>
    public const double DefaultDataRange = 2.0;

    /// <summary>
    /// Peak signal-to-noise ratio per image, 10·log₁₀(L² / MSE) in dB with L = <paramref name="dataRange"/>.
    /// Identical images have MSE 0 and give +∞ (no cap: callers that average over a dataset should decide how to
    /// treat perfect reconstructions).
    /// </summary>
    /// <param name="x">// [N, C, H, W]</param>
    /// <param name="y">// [N, C, H, W], same shape</param>
    /// <param name="dataRange">Peak-to-peak range L of the pixel values.</param>
    /// <returns>PSNR in dB, in the inputs' dtype. // [N]</returns>
    public static Tensor Psnr(Tensor x, Tensor y, double dataRange = DefaultDataRange)
    {
        CheckPair(x, y);
        if (!(dataRange > 0)) throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "must be positive");
        using var scope = NewDisposeScope();
        var mse = (x - y).square().flatten(1).mean(new long[] { 1 }); // [N]
        var psnr = 10.0 * (dataRange * dataRange / mse).log10();      // [N]; MSE 0 → +∞
        return psnr.MoveToOuterDisposeScope();
    }

    /// <summary>The mean PSNR over the batch in dB (+∞ if any pair is identical).</summary>
    public static double MeanPsnr(Tensor x, Tensor y, double dataRange = DefaultDataRange)
    {
        using var _ = no_grad();
        using var p = Psnr(x, y, dataRange);
        return p.to(float64).mean().item<double>();
    }

    /// <summary>
    /// Structural similarity per image: the mean over channels and window positions of
    /// ((2μₓμᵧ + C₁)(2σₓᵧ + C₂)) / ((μₓ² + μᵧ² + C₁)(σₓ² + σᵧ² + C₂)), local statistics from a Gaussian window
    /// applied per channel (a depthwise <c>conv2d</c>) at "valid" positions only, as in the authors' code.
    /// </summary>
    /// <remarks>
    /// Wang, Bovik, Sheikh, Simoncelli 2004, "Image Quality Assessment: From Error Visibility to Structural
    /// Similarity" (IEEE TIP): 11×11 Gaussian window, σ = 1.5, K₁ = 0.01, K₂ = 0.03; L = 2 for images in [-1, 1].
    /// Differentiable; computed in the inputs' dtype (float64 for gradient checks). Variances use the window's
    /// weighted mean (no N/(N−1) correction), as in the paper.
    /// </remarks>
    /// <param name="x">// [N, C, H, W], H and W at least the window size</param>
    /// <param name="y">// [N, C, H, W], same shape</param>
    /// <param name="options">Window and constants; null uses the paper's.</param>
    /// <returns>SSIM in [-1, 1], 1 for identical images. // [N]</returns>
    public static Tensor Ssim(Tensor x, Tensor y, SsimOptions? options = null)
    {
        using var scope = NewDisposeScope();
        var map = SsimMap(x, y, options);                              // [N, C, H', W']
        return map.flatten(1).mean(new long[] { 1 }).MoveToOuterDisposeScope(); // [N]
    }

    /// <summary>The mean SSIM over the batch.</summary>
    public static double MeanSsim(Tensor x, Tensor y, SsimOptions? options = null)
    {
        using var _ = no_grad();
        using var s = Ssim(x, y, options);
        return s.to(float64).mean().item<double>();
    }

    /// <summary>The local SSIM map at every valid window position, per channel.</summary>
    /// <param name="x">// [N, C, H, W]</param>
    /// <param name="y">// [N, C, H, W]</param>
    /// <param name="options">Window and constants; null uses the paper's.</param>
    /// <returns>// [N, C, H − w + 1, W − w + 1]</returns>
    public static Tensor SsimMap(Tensor x, Tensor y, SsimOptions? options = null)
    {
        CheckPair(x, y);
        var o = (options ?? new SsimOptions()).Validate();
        if (x.shape[2] < o.WindowSize || x.shape[3] < o.WindowSize)
            throw new ArgumentException($"SSIM needs images of at least {o.WindowSize}×{o.WindowSize} pixels, got {x.shape[2]}×{x.shape[3]}", nameof(x));
        using var scope = NewDisposeScope();
        long c = x.shape[1];
        var window = GaussianWindow(o.WindowSize, o.Sigma, x.dtype, x.device).expand(c, 1, o.WindowSize, o.WindowSize); // [C, 1, w, w]
        Tensor Filter(Tensor t) => F.conv2d(t, window, groups: c);                                                   // [N, C, H', W']
        double c1 = Math.Pow(o.K1 * o.DataRange, 2), c2 = Math.Pow(o.K2 * o.DataRange, 2);
        var muX = Filter(x);
        var muY = Filter(y);
        var muXX = muX * muX; var muYY = muY * muY; var muXY = muX * muY;
        var varX = Filter(x * x) - muXX;
        var varY = Filter(y * y) - muYY;
        var covXY = Filter(x * y) - muXY;
        var map = (2 * muXY + c1) * (2 * covXY + c2) / ((muXX + muYY + c1) * (varX + varY + c2));
        return map.MoveToOuterDisposeScope();
    }

    /// <summary>A normalised 2-D Gaussian window (outer product of two 1-D Gaussians).</summary>
    /// <returns>// [1, 1, size, size], sums to 1</returns>
    public static Tensor GaussianWindow(int size, double sigma, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        using var scope = NewDisposeScope();
        var g = new double[size];
        double centre = (size - 1) / 2.0, total = 0;
        for (int i = 0; i < size; i++) total += g[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        for (int i = 0; i < size; i++) g[i] /= total;
        var g1 = tensor(g, float64);                                    // [w]
        var w = g1.unsqueeze(1).matmul(g1.unsqueeze(0));                // [w, w]
        return w.reshape(1, 1, size, size).to(dtype, device ?? CPU).MoveToOuterDisposeScope();
    }

    static void CheckPair(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", x.shape)}]", nameof(x));
        if (!x.shape.SequenceEqual(y.shape))
            throw new ArgumentException($"image shapes differ: [{string.Join(", ", x.shape)}] vs [{string.Join(", ", y.shape)}]", nameof(y));
    }
}
