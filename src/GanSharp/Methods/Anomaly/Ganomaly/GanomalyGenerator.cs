using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>
/// GANomaly's generator: encoder G_E (x → z), decoder G_D (z → x̂, a DCGAN generator) and a second encoder E
/// (x̂ → ẑ) of the same shape as G_E.
/// </summary>
/// <remarks>Akçay et al., ACCV 2018, figure 2.</remarks>
public sealed class GanomalyGenerator : nn.Module<Tensor, Tensor>
{
    readonly DcganEncoder encoder1;
    readonly DcganGenerator decoder;
    readonly DcganEncoder encoder2;

    /// <summary>Builds the three sub-networks of <paramref name="config"/>.</summary>
    public GanomalyGenerator(DcganConfig config) : base(nameof(GanomalyGenerator))
    {
        Config = config.Validate();
        encoder1 = new DcganEncoder(config);
        decoder = new DcganGenerator(config);
        encoder2 = new DcganEncoder(config);
        RegisterComponents();
    }

    /// <summary>The architecture config.</summary>
    public DcganConfig Config { get; }

    /// <summary>Shape of one image.</summary>
    public ImageShape Image => Config.Image;

    /// <summary>The reconstruction x̂ <c>[N, C, H, W]</c> of images <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor images) => Run(images).Reconstruction;

    /// <summary>z = G_E(x) <c>[N, Z]</c>, x̂ = G_D(z) <c>[N, C, H, W]</c>, ẑ = E(x̂) <c>[N, Z]</c>.</summary>
    public (Tensor Latent, Tensor Reconstruction, Tensor ReconstructedLatent) Run(Tensor images)
    {
        var z = encoder1.call(images);   // [N, Z]
        var xhat = decoder.call(z);      // [N, C, H, W]
        return (z, xhat, encoder2.call(xhat));
    }

    /// <summary>Decodes latents <c>[N, Z]</c> to images (for sample grids).</summary>
    public Tensor Decode(Tensor latents) => decoder.call(latents);
}
