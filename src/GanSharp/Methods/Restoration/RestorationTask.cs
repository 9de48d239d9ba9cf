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
