using System.Globalization;
using GanSharp.Methods.Inversion;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// The classical restoration of a degradation (<see cref="ClassicalRestoration"/>), its training statistics already
/// computed: bicubic up-sampling for <see cref="DownsampleDegradation"/>, harmonic inpainting for
/// <see cref="InpaintDegradation"/>, mean-colour colorization for <see cref="GrayscaleDegradation"/> (the mean chroma of
/// training images) and Gaussian filtering for <see cref="DenoiseDegradation"/> (σ chosen on training images).
/// </summary>
public sealed class ClassicalBaseline
{
    readonly Func<Tensor, Tensor> restore;

    ClassicalBaseline(string name, string description, Func<Tensor, Tensor> restore)
    {
        Name = name;
        Description = description;
        this.restore = restore;
    }

    /// <summary>A short name for captions and table rows (<c>bicubic</c>, <c>harmonic</c>, <c>mean colour</c>, <c>Gaussian σ 0.9 px</c>).</summary>
    public string Name { get; }

    /// <summary>One sentence on what the baseline does and what it was fitted on.</summary>
    public string Description { get; }

    /// <summary>The blur width of a denoising baseline in pixels; null for the other tasks.</summary>
    public double? BlurSigma { get; private init; }

    /// <summary>Restores observations of the degradation the baseline was made for.</summary>
    /// <param name="observation">// [N, C', H', W']</param>
    /// <returns>// [N, C, H, W] in [-1, 1]</returns>
    public Tensor Restore(Tensor observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return restore(observation).clamp(-1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the baseline of <paramref name="degradation"/> needs training images (colorization and denoising do).</summary>
    public static bool NeedsTraining(IDegradation degradation) => degradation is GrayscaleDegradation or DenoiseDegradation;

    /// <summary>
    /// The classical baseline of <paramref name="degradation"/>. Colorization and denoising fit it on
    /// <paramref name="training"/> images <c>[N, C, H, W]</c> (clean, of the restored images' shape; never the images being
    /// evaluated): the per-pixel mean chroma, and the blur width that best removes the degradation's noise level from
    /// them (noise drawn from <paramref name="rng"/>). <paramref name="perPixelChroma"/> false colours with one global mean
    /// colour instead of a mean per pixel position.
    /// </summary>
    public static ClassicalBaseline For(IDegradation degradation, Tensor? training = null, Generator? rng = null, bool perPixelChroma = true)
    {
        ArgumentNullException.ThrowIfNull(degradation);
        if (NeedsTraining(degradation) && training is null)
            throw new GanSharpException($"the classical baseline of {degradation.Name} is fitted on training images; none were given",
                "pass training images of the generator's domain (e.g. --baseline-data SPEC)");
        switch (degradation)
        {
            case DownsampleDegradation sr:
                return new ClassicalBaseline("bicubic", $"bicubic ×{sr.Scale} up-sampling", y => ClassicalRestoration.Bicubic(y, sr.Scale));
            case InpaintDegradation inpaint:
                return new ClassicalBaseline("harmonic", "harmonic (diffusion) inpainting from the known pixels",
                    y => ClassicalRestoration.HarmonicInpaint(y, inpaint.Mask));
            case GrayscaleDegradation:
            {
                using var scope = NewDisposeScope();
                var chroma = ClassicalRestoration.MeanChroma(training!, perPixelChroma).DetachFromDisposeScope(); // [1, 3, H, W] or [1, 3, 1, 1], lives as long as the baseline
                return new ClassicalBaseline(perPixelChroma ? "mean colour" : "global mean colour",
                    $"observed luma plus the {(perPixelChroma ? "per-pixel" : "global")} mean chroma of {training!.shape[0]} training images",
                    y => ClassicalRestoration.Colorize(y, chroma));
            }
            case DenoiseDegradation denoise:
            {
                double sigma = ClassicalRestoration.ChooseBlurSigma(training!, denoise.Sigma, rng);
                string s = sigma.ToString("0.0", CultureInfo.InvariantCulture);
                return new ClassicalBaseline($"Gaussian σ {s} px",
                    $"Gaussian filter, σ = {s} px chosen on {training!.shape[0]} training images with noise σ {denoise.Sigma.ToString(CultureInfo.InvariantCulture)}",
                    y => ClassicalRestoration.GaussianBlur(y, sigma)) { BlurSigma = sigma };
            }
            default:
                throw new GanSharpException($"no classical baseline for the degradation {degradation.Name}");
        }
    }
}
