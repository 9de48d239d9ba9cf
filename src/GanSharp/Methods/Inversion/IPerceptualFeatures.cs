using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// φ of a perceptual loss: a frozen network's intermediate feature maps for images in [-1, 1]. Pluggable so that a
/// different network (a pretrained VGG, when one is available) can replace GanSharp's own feature network.
/// </summary>
public interface IPerceptualFeatures
{
    /// <summary>The image channels the network accepts (1 or 3).</summary>
    int Channels { get; }

    /// <summary>
    /// The feature maps of <paramref name="images"/>, shallow to deep; differentiable with respect to the images.
    /// </summary>
    /// <param name="images">Images in [-1, 1]. // [N, C, H, W]</param>
    /// <returns>One map per layer. // [N, C_k, H_k, W_k] each</returns>
    IReadOnlyList<Tensor> Extract(Tensor images);
}
