using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Models;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>The architecture of CycleGAN's networks (written to checkpoints; rebuilds them).</summary>
/// <param name="Channels">Image channels of both domains (1 or 3).</param>
/// <param name="Size">Square image side (a multiple of 4, at least 16).</param>
/// <param name="Width">ngf: channels of the generator's stem (doubled by each of the two downsamplings). The paper uses 64.</param>
/// <param name="Blocks">Residual blocks at the bottleneck: the paper uses 6 at 128 px and 9 at 256 px; 6 here at 64 px.</param>
/// <param name="DiscriminatorWidth">ndf: channels of the discriminator's first convolution. The paper uses 64.</param>
/// <param name="DiscriminatorLayers">Stride-2 convolutions of the PatchGAN (3: the 70×70 discriminator).</param>
/// <remarks>Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks", ICCV 2017, appendix 7.2.</remarks>
public sealed record CycleGanConfig(int Channels = 3, int Size = 64, int Width = 64, int Blocks = 6, int DiscriminatorWidth = 64, int DiscriminatorLayers = 3)
{
    /// <summary>The image shape both domains share.</summary>
    public ImageShape Image => new(Channels, Size, Size);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public CycleGanConfig Validate()
    {
        if (Channels is not (1 or 3)) throw new GanSharpException($"CycleGAN: {Channels} channels; use 1 (gray) or 3 (RGB)");
        if (Size < 16 || Size % 4 != 0) throw new GanSharpException($"CycleGAN: image side {Size}; it must be a multiple of 4 and at least 16 (two stride-2 downsamplings)", "use --size 32 or 64");
        if (Width < 1 || DiscriminatorWidth < 1) throw new GanSharpException($"CycleGAN: widths {Width}/{DiscriminatorWidth} must be positive");
        if (Blocks < 0 || Blocks > 32) throw new GanSharpException($"CycleGAN: {Blocks} residual blocks; use 0..32 (the paper uses 6 or 9)");
        if (DiscriminatorLayers < 1 || (Size >> DiscriminatorLayers) < 4)
            throw new GanSharpException($"CycleGAN: {DiscriminatorLayers} stride-2 discriminator layers leave fewer than 4 px of a {Size} px image", "use fewer discriminator layers or larger images");
        return this;
    }

    /// <summary>The config as JSON.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, CheckpointManifest.JsonOptions);

    /// <summary>Reads a config written by <see cref="ToJson"/>.</summary>
    public static CycleGanConfig FromJson(JsonElement json) =>
        (json.Deserialize<CycleGanConfig>(CheckpointManifest.JsonOptions) ?? throw new GanSharpException("CycleGAN checkpoint: no architecture")).Validate();
}
