using TorchSharp;
using System.Text.Json;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>What a GAN checkpoint records to rebuild its networks: the architecture name and its config.</summary>
/// <param name="Arch"><c>dcgan</c>, <c>stylegan</c> or <c>stylegan2</c>.</param>
/// <param name="Config">The architecture's config record as JSON.</param>
public sealed record GanArchitecture(string Arch, JsonElement Config)
{
    /// <summary>Known architecture names.</summary>
    public static readonly string[] Names = { "dcgan", "stylegan", "stylegan2" };

    /// <summary>
    /// The default architecture for an image shape and loss. <paramref name="width"/> and <paramref name="latent"/>
    /// override the widths and latent size when given.
    /// </summary>
    public static GanArchitecture Default(string arch, ImageShape image, AdversarialLoss loss, int? width = null, int? latent = null)
    {
        if (image.Height != image.Width) throw new GanSharpException($"images are {image}; GANs here need square images");
        switch (arch.ToLowerInvariant())
        {
            case "dcgan":
                var c = DcganConfig.For(image.Height, image.Channels) with
                {
                    // Gulrajani et al.: no batch norm in a gradient-penalty critic (the penalty is per sample).
                    DiscriminatorNorm = loss == AdversarialLoss.WganGp ? DiscriminatorNorm.LayerNorm : DiscriminatorNorm.BatchNorm,
                };
                if (width is int w) c = c with { GeneratorWidth = w, DiscriminatorWidth = w };
                if (latent is int z) c = c with { LatentSize = z };
                return new GanArchitecture("dcgan", c.Validate().ToJson());
            case "stylegan":
            case "stylegan2":
                var sc = new StyleGanConfig(Resolution: image.Height, Channels: image.Channels);
                if (latent is int zs) sc = sc with { LatentSize = zs, StyleSize = zs };
                // --width sets the widest layer (the cap); the base follows so that the cap is reached at 4-8 px.
                // StyleGAN2 keeps the cap up to 8 px (its skip generator spends less at the top resolution).
                if (width is int ws) sc = sc with { MaxChannels = ws, ChannelBase = ws * (arch.Equals("stylegan2", StringComparison.OrdinalIgnoreCase) ? 8 : 4) };
                return new GanArchitecture(arch.ToLowerInvariant(), JsonSerializer.SerializeToElement(sc.Validate(), Checkpoints.CheckpointManifest.JsonOptions));
            default:
                throw new GanSharpException($"--arch {arch}: unknown architecture", "use one of: " + string.Join(", ", Names));
        }
    }

    /// <summary>Builds a generator of this architecture (fresh weights).</summary>
    public IGenerator CreateGenerator() => Arch switch
    {
        "dcgan" => new DcganGenerator(DcganConfig.FromJson(Config)),
        "stylegan" => new StyleGanGenerator(StyleGanModels.ReadConfig(Config)),
        "stylegan2" => new StyleGan2Generator(StyleGanModels.ReadConfig(Config)),
        _ => throw new GanSharpException($"unknown architecture '{Arch}'"),
    };

    /// <summary>Builds a discriminator of this architecture (fresh weights).</summary>
    public IDiscriminator CreateDiscriminator() => Arch switch
    {
        "dcgan" => new DcganDiscriminator(DcganConfig.FromJson(Config)),
        "stylegan" => new StyleGanDiscriminator(StyleGanModels.ReadConfig(Config)),
        "stylegan2" => new StyleGanDiscriminator(StyleGanModels.ReadConfig(Config), residual: true),
        _ => throw new GanSharpException($"unknown architecture '{Arch}'"),
    };

    /// <summary>
    /// Whether every convolution of this architecture's networks goes through <see cref="Nn.ConvOps"/> (StyleGAN's
    /// equalized layers), the form oneDNN computes correctly here; DCGAN's transposed convolutions do not.
    /// </summary>
    public bool AllConvolutionsChannelPadded => Arch is "stylegan" or "stylegan2";

    /// <summary>
    /// The worst relative error, against float64 twins with the same weights, of a fresh generator and discriminator of
    /// this architecture at <paramref name="batch"/> images with the convolution path now in effect (outputs, input and
    /// parameter gradients; see <see cref="Platform.ModelNumerics"/>). Used to verify the fast convolution path.
    /// </summary>
    public Platform.NumericsComparison NumericsError(int batch, TorchSharp.torch.Device device) => NumericsError(batch, device, null, null);

    /// <summary>
    /// <see cref="NumericsError(int, TorchSharp.torch.Device)"/> on copies of trained networks (the training-time
    /// canary): <paramref name="from"/> and <paramref name="fromD"/> give the weights; the networks themselves are not
    /// touched (batch-norm statistics included).
    /// </summary>
    public Platform.NumericsComparison NumericsError(int batch, TorchSharp.torch.Device device, IGenerator? from, IDiscriminator? fromD)
    {
        var rng = new TorchSharp.torch.Generator(20240601);
        var g = CreateGenerator(); var g64 = CreateGenerator();
        var d = CreateDiscriminator(); var d64 = CreateDiscriminator();
        try
        {
            if (from != null) g.Module.load_state_dict(from.Module.state_dict());
            if (fromD != null) d.Module.load_state_dict(fromD.Module.state_dict());
            foreach (var (a, b) in new[] { (g.Module, g64.Module), (d.Module, d64.Module) })
            {
                b.load_state_dict(a.state_dict());
                a.to(device);
                b.to(TorchSharp.torch.ScalarType.Float64).to(device);
            }
            var ge = Platform.ModelNumerics.GeneratorError(g, g64, batch, rng);
            var de = Platform.ModelNumerics.DiscriminatorError(d, d64, batch, rng);
            // The penalties (R1, WGAN-GP) train through a double backward of D: check that pass too.
            var pe = Platform.ModelNumerics.PenaltyError(d, d64, batch, rng);
            return Platform.ModelNumerics.Worst(Platform.ModelNumerics.Worst(ge with { Where = "G " + ge.Where }, de with { Where = "D " + de.Where }),
                pe with { Where = "D penalty (double backward) " + pe.Where });
        }
        finally
        {
            foreach (var m in new[] { g.Module, g64.Module, d.Module, d64.Module }) m.Dispose();
        }
    }

    /// <summary>A <see cref="GanMethod"/> with fresh networks of this architecture.</summary>
    public GanMethod CreateMethod(GanOptions options, TorchSharp.torch.Device device) =>
        new(CreateGenerator(), CreateGenerator(), CreateDiscriminator(), options, device, this);
}
