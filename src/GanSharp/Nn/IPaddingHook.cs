using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// A convolution whose zero padding can be replaced by values supplied from outside, per instance (PadInv, ECCV 2022).
/// With <see cref="ExternalPadding"/> null or all zeros the layer computes exactly an ordinary zero-padded convolution.
/// </summary>
public interface IPaddingHook
{
    /// <summary>Channels of the layer's input.</summary>
    int Channels { get; }

    /// <summary>Padding width on each side (pixels).</summary>
    int Padding { get; }

    /// <summary>
    /// The input's spatial size <c>(H, W)</c> at the last forward pass (0, 0 before any), so that a caller can size
    /// <see cref="ExternalPadding"/>: <c>[N or 1, Channels, H + 2·Padding, W + 2·Padding]</c>.
    /// </summary>
    (int Height, int Width) LastInputSize { get; }

    /// <summary>
    /// Values placed in the padding border instead of zeros, shaped <c>[N or 1, Channels, H + 2p, W + 2p]</c>; the interior
    /// is ignored. Null restores zero padding. Gradients flow into this tensor (it is what a PadInv encoder predicts).
    /// </summary>
    Tensor? ExternalPadding { get; set; }
}
