using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Models;

/// <summary>
/// The discriminator/critic contract: raw scores (logits for GAN losses, critic values for WGAN) and a feature tap
/// (the penultimate features, used by feature matching, AnoGAN's D_f and f-AnoGAN's izi_f).
/// </summary>
public interface IDiscriminator
{
    /// <summary>The underlying module.</summary>
    nn.Module Module { get; }

    /// <summary>The architecture config (a JSON-serialisable record) that rebuilds this discriminator.</summary>
    object Config { get; }

    /// <summary>Shape of one input image.</summary>
    ImageShape Input { get; }

    /// <summary>Size of the feature vector returned by <see cref="ScoreWithFeatures"/>.</summary>
    int FeatureSize { get; }

    /// <summary>Raw scores <c>[N]</c> for images <c>[N, C, H, W]</c> (no sigmoid).</summary>
    Tensor Score(Tensor images);

    /// <summary>Raw scores <c>[N]</c> and penultimate features <c>[N, FeatureSize]</c> from one forward pass.</summary>
    (Tensor Score, Tensor Features) ScoreWithFeatures(Tensor images);
}
