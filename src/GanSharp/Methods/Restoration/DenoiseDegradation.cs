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
    public Tensor Consistent(Tensor restored, Tensor observation) => restored;
}
