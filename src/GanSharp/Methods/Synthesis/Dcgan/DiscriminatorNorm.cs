using System.Text.Json.Serialization;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>The normalisation of the discriminator's hidden blocks (every block but the first, as in DCGAN).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiscriminatorNorm>))]
public enum DiscriminatorNorm
{
    /// <summary>BatchNorm2d, as in Radford et al. 2016; for the standard and non-saturating GAN losses.</summary>
    BatchNorm,

    /// <summary>
    /// Layer normalisation over each sample's <c>[C, H, W]</c> with a per-channel scale and shift (GroupNorm with one
    /// group), as Gulrajani et al. 2017 use in the WGAN-GP critic: the gradient penalty is taken per sample, which batch
    /// statistics would couple across the batch.
    /// </summary>
    LayerNorm,

    /// <summary>No normalisation (hidden convolutions then carry a bias); also valid for WGAN-GP.</summary>
    None,
}
