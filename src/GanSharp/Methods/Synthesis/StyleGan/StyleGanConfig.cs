using System.Numerics;
using System.Text.Json.Serialization;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// Architecture of the StyleGAN generator and discriminator (JSON-serialisable; stored in every checkpoint).
/// Defaults are CPU-sized: the paper's 512-wide latents and 8192-base widths are scaled down to 128 and 1024, which
/// gives widths 256, 128, 64, 32, 16 at 4, 8, 16, 32, 64 px (256 at 4×4, halving per resolution; about DCGAN's cost).
/// </summary>
/// <remarks>Karras, Laine, Aila, "A Style-Based Generator Architecture for GANs", CVPR 2019 (paper defaults in brackets).</remarks>
/// <param name="Resolution">Output side in pixels: a power of two ≥ 8.</param>
/// <param name="Channels">Image channels: 1 (gray) or 3 (RGB).</param>
/// <param name="LatentSize">Size of z [512].</param>
/// <param name="StyleSize">Size of w [512].</param>
/// <param name="MappingLayers">Fully connected layers of the mapping network [8].</param>
/// <param name="MappingLrMultiplier">Learning-rate multiplier of the mapping network [0.01].</param>
/// <param name="ChannelBase">Feature maps at resolution r are <c>min(MaxChannels, ChannelBase / r)</c> [8192].</param>
/// <param name="MaxChannels">Cap on the feature maps per layer [512].</param>
/// <param name="MixingProbability">Probability of style mixing regularisation per batch [0.9].</param>
/// <param name="MeanLatentDecay">EMA decay of the tracked mean w̄ [0.995].</param>
/// <param name="OutputTanh">Whether toRGB ends with tanh so images land in [-1, 1] [false: the paper's output is linear].</param>
/// <param name="MinibatchGroupSize">Group size of the discriminator's minibatch standard deviation [4].</param>
public sealed record StyleGanConfig(
    int Resolution = 32,
    int Channels = 3,
    int LatentSize = 128,
    int StyleSize = 128,
    int MappingLayers = 8,
    double MappingLrMultiplier = 0.01,
    int ChannelBase = 1024,
    int MaxChannels = 256,
    double MixingProbability = 0.9,
    double MeanLatentDecay = 0.995,
    bool OutputTanh = true,
    int MinibatchGroupSize = 4)
{
    /// <summary>Feature maps at resolution <paramref name="resolution"/>: <c>clamp(ChannelBase / resolution, 1, MaxChannels)</c>.</summary>
    public int Width(int resolution) => Math.Max(1, Math.Min(MaxChannels, ChannelBase / resolution));

    /// <summary>Synthesis blocks: one per resolution 4, 8, ..., <see cref="Resolution"/>.</summary>
    [JsonIgnore]
    public int BlockCount => BitOperations.Log2((uint)Resolution) - 1;

    /// <summary>Resolution of block <paramref name="block"/> (0-based): <c>4 · 2^block</c>.</summary>
    public int BlockResolution(int block) => 4 << block;

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid setting.</summary>
    public StyleGanConfig Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new GanSharpException("stylegan config: " + message); }
        Check(Resolution >= 8 && BitOperations.IsPow2(Resolution), $"resolution {Resolution} must be a power of two >= 8");
        Check(Channels is 1 or 3, $"channels {Channels} must be 1 or 3");
        Check(LatentSize > 0, $"latent size {LatentSize} must be positive");
        Check(StyleSize > 0, $"style size {StyleSize} must be positive");
        Check(MappingLayers >= 1, $"mapping layers {MappingLayers} must be at least 1");
        Check(MappingLrMultiplier > 0 && double.IsFinite(MappingLrMultiplier), $"mapping lr multiplier {MappingLrMultiplier} must be positive");
        Check(ChannelBase > 0, $"channel base {ChannelBase} must be positive");
        Check(MaxChannels > 0, $"max channels {MaxChannels} must be positive");
        Check(MixingProbability is >= 0 and <= 1, $"mixing probability {MixingProbability} must be in [0, 1]");
        Check(MeanLatentDecay is >= 0 and < 1, $"mean latent decay {MeanLatentDecay} must be in [0, 1)");
        Check(MinibatchGroupSize >= 1, $"minibatch group size {MinibatchGroupSize} must be at least 1");
        return this;
    }
}
