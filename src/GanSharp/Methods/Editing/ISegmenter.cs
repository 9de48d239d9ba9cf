using static TorchSharp.torch;

namespace GanSharp.Methods.Editing;

/// <summary>
/// A source of concept masks s_c for GAN Dissection: for a batch of images it says, per pixel, which concepts are there.
/// Implementations are deterministic (the same image gives the same masks).
/// </summary>
public interface ISegmenter
{
    /// <summary>A short name for reports (e.g. <c>emoji-colour</c>).</summary>
    string Name { get; }

    /// <summary>The concept names, in the order of the mask channels.</summary>
    IReadOnlyList<string> Concepts { get; }

    /// <summary>
    /// Masks <c>[N, K, H, W]</c> (0 or 1, K = <see cref="Concepts"/>.Count, float32) for images <c>[N, C, H, W]</c> in
    /// [-1, 1], the samples numbered <paramref name="sampleIndices"/> (the dissection's sample order), or null for a
    /// sample the segmenter has nothing for (it is then left out of the statistics); <paramref name="known"/> returns
    /// one flag per image.
    /// </summary>
    Tensor Segment(Tensor images, IReadOnlyList<int> sampleIndices, out bool[] known);

    /// <summary>
    /// Whether the masks are read from the images themselves (so any image can be segmented, e.g. an edited sample), rather
    /// than looked up by sample index. The causal effects of a dissection need it.
    /// </summary>
    bool ReadsImages => true;
}
