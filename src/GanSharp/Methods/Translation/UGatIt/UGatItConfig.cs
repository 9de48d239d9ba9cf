using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Models;

namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>The architecture of U-GAT-IT's networks (written to checkpoints; rebuilds them).</summary>
/// <param name="Channels">Image channels of both domains (1 or 3).</param>
/// <param name="Size">Square image side (a multiple of 4, at least 16).</param>
/// <param name="Width">ngf: channels of the generator's stem (doubled by each of the two downsamplings). The paper uses 64.</param>
/// <param name="Blocks">Residual blocks in the encoder and, with AdaLIN, in the decoder (the paper: 4 each).</param>
/// <param name="DiscriminatorWidth">ndf: channels of the discriminators' first convolution. The paper uses 64.</param>
/// <param name="GlobalLayers">Stride-2 convolutions of the global discriminator (the paper: 5 at 256 px; 3 suits 32 px).</param>
/// <param name="LocalLayers">Stride-2 convolutions of the local discriminator (the paper: 3 at 256 px; 2 here).</param>
/// <param name="Light">The light variant: the MLP that makes AdaLIN's γ, β reads the globally average-pooled attention
/// features (4·ngf values). False: the full model, whose MLP reads the whole flattened attention map (4·ngf·(H/4)·(W/4)
/// values). Checkpoints written before the full model existed have no such field and are light.</param>
/// <remarks>
/// Kim, Kim, Kang, Lee, "U-GAT-IT: Unsupervised Generative Attentional Networks with Adaptive Layer-Instance
/// Normalization for Image-to-Image Translation", ICLR 2020, appendix (network architecture): the full model and the light
/// one (γ, β from the globally average-pooled attention features, for memory).
/// </remarks>
public sealed record UGatItConfig(int Channels = 3, int Size = 64, int Width = 64, int Blocks = 4, int DiscriminatorWidth = 64, int GlobalLayers = 3, int LocalLayers = 2, bool Light = true)
{
    /// <summary>The image shape both domains share.</summary>
    public ImageShape Image => new(Channels, Size, Size);

    /// <summary>Inputs of the first layer of the MLP that makes γ, β: 4·ngf (light) or 4·ngf·(H/4)·(W/4) (full).</summary>
    public long MlpInputs => Light ? 4L * Width : 4L * Width * (Size / 4) * (Size / 4);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public UGatItConfig Validate()
    {
        if (Channels is not (1 or 3)) throw new GanSharpException($"U-GAT-IT: {Channels} channels; use 1 (gray) or 3 (RGB)");
        if (Size < 16 || Size % 4 != 0) throw new GanSharpException($"U-GAT-IT: image side {Size}; it must be a multiple of 4 and at least 16 (two stride-2 downsamplings)", "use --size 32 or 64");
        if (Width < 1 || DiscriminatorWidth < 1) throw new GanSharpException($"U-GAT-IT: widths {Width}/{DiscriminatorWidth} must be positive");
        if (Blocks < 0 || Blocks > 32) throw new GanSharpException($"U-GAT-IT: {Blocks} residual blocks; use 0..32 (the paper uses 4)");
        foreach (var (layers, which) in new[] { (GlobalLayers, "global"), (LocalLayers, "local") })
            if (layers < 1 || (Size >> layers) < 4)
                throw new GanSharpException($"U-GAT-IT: {layers} stride-2 layers of the {which} discriminator leave fewer than 4 px of a {Size} px image", "use fewer discriminator layers or larger images");
        if (MlpInputs * 4L * Width > 64L << 20)
            throw new GanSharpException($"U-GAT-IT full model at {Size} px, width {Width}: its first MLP layer would hold {MlpInputs * 4L * Width:N0} weights", "use --light, a smaller --width or a smaller --size");
        if (LocalLayers > GlobalLayers) throw new GanSharpException($"U-GAT-IT: the local discriminator ({LocalLayers} stride-2 layers) must not be deeper than the global one ({GlobalLayers})");
        return this;
    }

    /// <summary>The config as JSON.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, CheckpointManifest.JsonOptions);

    /// <summary>Reads a config written by <see cref="ToJson"/>.</summary>
    public static UGatItConfig FromJson(JsonElement json) =>
        (json.Deserialize<UGatItConfig>(CheckpointManifest.JsonOptions) ?? throw new GanSharpException("U-GAT-IT checkpoint: no architecture")).Validate();
}
