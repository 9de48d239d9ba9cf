using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// Denoising: the operator is the identity and the observation carries additive white Gaussian noise of standard
/// deviation <see cref="Sigma"/> (in the [-1, 1] pixel scale). The GAN prior removes the noise because G cannot
/// reproduce it.
/// </summary>
public sealed class DenoiseDegradation : IDegradation
{
    /// <summary>The default noise level: σ = 0.2 in [-1, 1] units (≈ 25 of 255).</summary>
    public const double DefaultSigma = 0.2;

    /// <summary>Denoising of observations with noise level <paramref name="sigma"/> (used by <see cref="Observe"/> only).</summary>
    public DenoiseDegradation(double sigma = DefaultSigma)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new GanSharpException($"denoise: noise sigma {sigma}; must be 0 or positive");
        Sigma = sigma;
    }

    /// <summary>Standard deviation of the synthesised noise.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public string Name => "denoise";

    /// <inheritdoc />
    public ImageShape ObservedShape(ImageShape image) => image;

    /// <inheritdoc />
    public Tensor Apply(Tensor images) => images.alias();

    /// <inheritdoc />
    public Tensor Observe(Tensor clean, Generator? rng = null) =>
        clean + Sigma * randn(clean.shape, dtype: clean.dtype, generator: rng).to(clean.device);

    /// <inheritdoc />
    public Tensor Display(Tensor observation, ImageShape image) => observation.clamp(-1, 1);

    /// <inheritdoc />
    /// <remarks>
    /// The observation still carries what G could not draw, so the two estimates are combined as independent unbiased
    /// estimates of the image (the linear minimum-mean-square-error blend): per image, G's error variance is estimated from
    /// the residual as s² = max(mean((y − G)²) − σ², 0), and <c>x′ = G + s²/(s² + σ²) · (y − G)</c>. A generator that
    /// reproduces the image (s² → 0) keeps its output; one that misses it (s² ≫ σ²) hands over to the noisy observation.
    /// With σ = 0 the observation is returned.
    /// </remarks>
    public Tensor Consistent(Tensor restored, Tensor observation)
    {
        using var scope = NewDisposeScope();
        var residual = observation - restored;                                                            // [N, C, H, W]
        var noise = Sigma * Sigma;
        var generatorError = (residual.square().mean(new long[] { 1, 2, 3 }, keepdim: true) - noise).clamp_min(0); // [N, 1, 1, 1]
        var weight = noise == 0 ? ones_like(generatorError) : generatorError / (generatorError + noise);
        return (restored + weight * residual).MoveToOuterDisposeScope();
    }
}
