using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// A known degradation A of a restoration task: the observation is <c>y = A(x)</c> (plus noise for denoising), and a
/// GAN prior restores x by minimising <c>L(A(G(code)), y)</c> (Gu, Shen, Zhou, CVPR 2020, §3.3).
/// </summary>
public interface IDegradation
{
    /// <summary>A short name for captions and file names (e.g. <c>inpaint</c>, <c>sr4</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The shape of an observation of images of shape <paramref name="image"/>; throws a <see cref="GanSharpException"/>
    /// when the operator does not apply to such images (e.g. colorization of gray images).
    /// </summary>
    ImageShape ObservedShape(ImageShape image);

    /// <summary>Applies A; differentiable with respect to <paramref name="images"/>.</summary>
    /// <param name="images">// [N, C, H, W]</param>
    /// <returns>// [N, C', H', W'] (<see cref="ObservedShape"/>)</returns>
    Tensor Apply(Tensor images);

    /// <summary>
    /// Synthesises the observation of clean images: <see cref="Apply"/>, plus whatever noise the task's model has.
    /// </summary>
    /// <param name="clean">// [N, C, H, W]</param>
    /// <param name="rng">Source of the noise (denoising); null uses torch's global generator.</param>
    /// <returns>// [N, C', H', W']</returns>
    Tensor Observe(Tensor clean, Generator? rng = null);

    /// <summary>An observation shown at the image shape, for side-by-side figures (upsampled, gray repeated to RGB).</summary>
    /// <param name="observation">// [N, C', H', W']</param>
    /// <param name="image">The shape of the restored images.</param>
    /// <returns>// [N, C, H, W]</returns>
    Tensor Display(Tensor observation, ImageShape image);

    /// <summary>
    /// The restoration made consistent with the observation where the observation fixes pixel values exactly: inpainting
    /// pastes the known pixels back (the generator only fills the hole), colorization keeps the observed luma,
    /// super-resolution adds the low-resolution error back block-wise so that A(x′) = y; denoising (whose observation
    /// fixes no value) blends G(code) with the noisy observation by their estimated error variances.
    /// </summary>
    /// <param name="restored">G(code). // [N, C, H, W]</param>
    /// <param name="observation">// [N, C', H', W']</param>
    /// <returns>// [N, C, H, W]</returns>
    Tensor Consistent(Tensor restored, Tensor observation);
}
