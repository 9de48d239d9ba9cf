using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>The restoration tasks of <c>gansharp restore</c>.</summary>
public enum RestorationTask
{
    /// <summary>Fill missing pixels (<see cref="InpaintDegradation"/>).</summary>
    Inpaint,

    /// <summary>Super-resolution ×2 or ×4 (<see cref="DownsampleDegradation"/>).</summary>
    SuperResolution,

    /// <summary>Colour from gray (<see cref="GrayscaleDegradation"/>).</summary>
    Colorize,

    /// <summary>Remove additive Gaussian noise (<see cref="DenoiseDegradation"/>).</summary>
    Denoise,
}

/// <summary>Builds the degradation of a task.</summary>
public static class Degradations
{
    /// <summary>Parses a task name: inpaint, sr, colorize (or colorise), denoise.</summary>
    public static RestorationTask ParseTask(string name) => name.Trim().ToLowerInvariant() switch
    {
        "inpaint" => RestorationTask.Inpaint,
        "sr" or "super-resolution" => RestorationTask.SuperResolution,
        "colorize" or "colorise" => RestorationTask.Colorize,
        "denoise" => RestorationTask.Denoise,
        _ => throw new GanSharpException($"--task {name}: use inpaint, sr, colorize or denoise"),
    };

    /// <summary>
    /// How many restorations from different starts <c>gansharp restore</c> averages for <paramref name="task"/> by default
    /// (<see cref="GanRestoration.Restore"/>'s restarts), from held-out emoji (bench/README.md): colorization 8 (one code
    /// in z, 48 images: 16.3, 16.7, 17.6 dB for 1, 3, 8 restarts, the gray input 17.3), inpainting 4 (mGANprior at ℓ 2, 48
    /// images: 19.9 → 21.0 dB, harmonic inpainting 20.4); 1 for super-resolution and denoising, which beat their baselines
    /// with one.
    /// </summary>
    public static int DefaultRestarts(RestorationTask task) => task switch
    {
        RestorationTask.Colorize => 8,
        RestorationTask.Inpaint => 4,
        _ => 1,
    };

    /// <summary>
    /// The degradation of <paramref name="task"/> for images of shape <paramref name="image"/>, checked to apply to them.
    /// <paramref name="mask"/> (inpainting; <c>[1, H, W]</c>, 1 = known) defaults to a centred box over half the side.
    /// </summary>
    public static IDegradation Create(RestorationTask task, ImageShape image, Tensor? mask = null, int scale = 4, double sigma = DenoiseDegradation.DefaultSigma)
    {
        IDegradation d = task switch
        {
            RestorationTask.Inpaint => mask is null ? InpaintDegradation.CentreBox(image) : new InpaintDegradation(mask),
            RestorationTask.SuperResolution => new DownsampleDegradation(scale),
            RestorationTask.Colorize => new GrayscaleDegradation(),
            RestorationTask.Denoise => new DenoiseDegradation(sigma),
            _ => throw new GanSharpException($"unknown restoration task {task}"),
        };
        d.ObservedShape(image);
        return d;
    }
}
