using System.Text.Json;
using System.Text.Json.Serialization;
using GanSharp.Checkpoints;
using GanSharp.Models;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>
/// The architecture of a DCGAN generator/discriminator pair. Immutable and JSON-serialisable: it is written into every
/// checkpoint as the architecture config, from which <see cref="DcganModels"/> rebuilds the networks.
/// </summary>
/// <remarks>
/// Radford, Metz, Chintala, "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial
/// Networks", ICLR 2016. Resolutions and the layer plan:
/// <list type="bullet">
/// <item>64 px: 4 → 8 → 16 → 32 → 64, the paper's network (G 8w, 4w, 2w, w channels; D w, 2w, 4w, 8w);</item>
/// <item>32 px: 4 → 8 → 16 → 32 (G 4w, 2w, w; D w, 2w, 4w);</item>
/// <item>28 px: 7 → 14 → 28, the classic MNIST DCGAN (G 2w, w; D w, 2w).</item>
/// </list>
/// The widest layer has <c>w·2^(k−1)</c> channels for k resolution steps, so the default width 64 gives the paper's
/// 512-channel network at 64 px and proportionally smaller ones at 32 px (256) and 28 px (128), which a CPU trains.
/// </remarks>
public sealed record DcganConfig
{
    /// <summary>The image sizes (square) this architecture supports.</summary>
    public static IReadOnlyList<int> SupportedImageSizes { get; } = new[] { 28, 32, 64 };

    /// <summary>Image height and width in pixels: 28, 32 or 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Image channels: 1 (gray) or 3 (RGB).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Size of the latent z (the paper's 100).</summary>
    public int LatentSize { get; init; } = 100;

    /// <summary>
    /// The generator's feature multiplier: channels of its last hidden block (at half the image size); earlier blocks
    /// double it per halving of resolution (the paper's <c>ngf</c> = 64).
    /// </summary>
    public int GeneratorWidth { get; init; } = 64;

    /// <summary>
    /// The discriminator's feature multiplier: channels of its first block; later blocks double it per halving of
    /// resolution (the paper's <c>ndf</c> = 64).
    /// </summary>
    public int DiscriminatorWidth { get; init; } = 64;

    /// <summary>
    /// Normalisation in the discriminator's hidden blocks: <see cref="Dcgan.DiscriminatorNorm.BatchNorm"/> (the paper)
    /// by default; WGAN-GP critics must use <see cref="Dcgan.DiscriminatorNorm.LayerNorm"/> or
    /// <see cref="Dcgan.DiscriminatorNorm.None"/>, since the gradient penalty is per sample.
    /// </summary>
    public DiscriminatorNorm DiscriminatorNorm { get; init; } = DiscriminatorNorm.BatchNorm;

    /// <summary>The shape of one image.</summary>
    [JsonIgnore]
    public ImageShape Image => new(Channels, ImageSize, ImageSize);

    /// <summary>The spatial size of the first generator block and the last discriminator block: 7 at 28 px, else 4.</summary>
    [JsonIgnore]
    public int StartSize => ImageSize == 28 ? 7 : 4;

    /// <summary>Resolution doublings between <see cref="StartSize"/> and <see cref="ImageSize"/> (2, 3 or 4).</summary>
    [JsonIgnore]
    public int Steps => ImageSize switch { 28 => 2, 32 => 3, 64 => 4, _ => throw Invalid() };

    /// <summary>The defaults for an image size and channel count (width 64, latent 100, BatchNorm).</summary>
    public static DcganConfig For(int imageSize, int channels) => new DcganConfig { ImageSize = imageSize, Channels = channels }.Validate();

    /// <summary>Checks every field, throwing a <see cref="GanSharpException"/> that names the bad one.</summary>
    /// <returns>This config, for chaining.</returns>
    public DcganConfig Validate()
    {
        if (!SupportedImageSizes.Contains(ImageSize)) throw Invalid();
        if (Channels is not (1 or 3))
            throw new GanSharpException($"DCGAN channels {Channels}: must be 1 (gray) or 3 (RGB)");
        if (LatentSize < 1 || LatentSize > 4096)
            throw new GanSharpException($"DCGAN latent size {LatentSize}: must be 1..4096");
        CheckWidth(GeneratorWidth, "generator");
        CheckWidth(DiscriminatorWidth, "discriminator");
        if (!Enum.IsDefined(DiscriminatorNorm))
            throw new GanSharpException($"DCGAN discriminator norm {(int)DiscriminatorNorm}: must be BatchNorm, LayerNorm or None");
        return this;
    }

    /// <summary>Reads a config from its JSON form (as written in a checkpoint manifest) and validates it.</summary>
    public static DcganConfig FromJson(JsonElement json)
    {
        DcganConfig? config;
        try { config = json.Deserialize<DcganConfig>(CheckpointManifest.JsonOptions); }
        catch (JsonException e)
        {
            throw new GanSharpException($"DCGAN architecture config is not valid: {e.Message}", null, e);
        }
        return (config ?? throw new GanSharpException("DCGAN architecture config is null")).Validate();
    }

    /// <summary>The JSON form of this config (camelCase, as in checkpoint manifests).</summary>
    public JsonElement ToJson() => CheckpointWriter.ToJson(this);

    static void CheckWidth(int width, string network)
    {
        if (width < 1 || width > 1024)
            throw new GanSharpException($"DCGAN {network} width {width}: must be 1..1024");
    }

    GanSharpException Invalid() => new(
        $"DCGAN image size {ImageSize}: must be one of {string.Join(", ", SupportedImageSizes)}",
        "resize the data set to 28, 32 or 64 pixels (the layer plan is fixed per size)");
}
