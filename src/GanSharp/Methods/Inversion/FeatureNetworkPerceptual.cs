using GanSharp.Metrics;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// The perceptual features φ of GanSharp: the three stage activations of a <see cref="FeatureNetwork"/> (a small
/// VGG-like classifier trained by GanSharp on the project's own data), used in place of the ImageNet-pretrained VGG16
/// of the papers, which is not available offline.
/// </summary>
/// <remarks>
/// The papers' perceptual term (Johnson, Alahi, Fei-Fei 2016; Zhang et al. 2018 for LPIPS) compares VGG16 conv
/// activations. This network is far smaller and trained on far less data, so distances computed with it rank
/// reconstructions of the data it was trained on and are not comparable to published VGG/LPIPS values.
/// The wrapped network is put in eval mode and its parameters are frozen (no gradient is accumulated into them).
/// </remarks>
public sealed class FeatureNetworkPerceptual : IPerceptualFeatures
{
    /// <summary>Wraps <paramref name="network"/> (switched to eval mode, parameters frozen).</summary>
    public FeatureNetworkPerceptual(FeatureNetwork network)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        network.eval();
        foreach (var p in network.parameters()) p.requires_grad = false;
    }

    /// <summary>The wrapped network.</summary>
    public FeatureNetwork Network { get; }

    /// <inheritdoc />
    public int Channels => Network.Config.Channels;

    /// <inheritdoc />
    /// <remarks>Inputs of another size are resized to the network's trained size (bilinear, differentiable).</remarks>
    public IReadOnlyList<Tensor> Extract(Tensor images) => Network.StageActivations(images);
}
