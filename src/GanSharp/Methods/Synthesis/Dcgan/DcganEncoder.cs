using GanSharp.Models;
using GanSharp.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>
/// An image encoder x → z with the DCGAN discriminator's layer plan (strided 4×4 convolutions, LeakyReLU(0.2),
/// normalisation in every block but the first) and a linear head to <see cref="DcganConfig.LatentSize"/> values.
/// Shared by the anomaly detectors (GANomaly's G_E and E, EGBAD's and f-AnoGAN's encoder E) and encoder-based GAN
/// inversion (the encoder of <c>gansharp train encoder</c> and PadInv's backbone).
/// </summary>
/// <remarks>Radford et al. 2016 (layer plan); Akçay et al. 2018, Zenati et al. 2018, Schlegl et al. 2019 (encoders of this shape).</remarks>
public sealed class DcganEncoder : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> blocks; // each halves the resolution
    readonly nn.Module<Tensor, Tensor> head;                                  // [N, F] → [N, Z]

    /// <summary>Builds the encoder of <paramref name="config"/>: width <see cref="DcganConfig.DiscriminatorWidth"/>, norm <see cref="DcganConfig.DiscriminatorNorm"/>.</summary>
    public DcganEncoder(DcganConfig config) : base(nameof(DcganEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        var list = new List<nn.Module<Tensor, Tensor>>();
        long cin = config.Channels;
        for (int i = 0; i < config.Steps; i++)
        {
            long cout = (long)config.DiscriminatorWidth << i;
            bool normed = i > 0 && config.DiscriminatorNorm != DiscriminatorNorm.None;
            var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("conv", nn.Conv2d(cin, cout, 4, stride: 2, padding: 1, bias: !normed)) };
            if (normed) layers.Add(("norm", config.DiscriminatorNorm == DiscriminatorNorm.BatchNorm ? nn.BatchNorm2d(cout) : nn.GroupNorm(1, cout)));
            layers.Add(("lrelu", nn.LeakyReLU(0.2)));
            list.Add(nn.Sequential(layers.ToArray()));
            cin = cout;
        }
        blocks = nn.ModuleList(list.ToArray());
        head = nn.Linear(cin * config.StartSize * config.StartSize, config.LatentSize);
        RegisterComponents();
        DcganInit.Apply(0, this); // GroupNorm affine weights must be set (TorchSharp leaves them uninitialised)
    }

    /// <summary>The architecture config.</summary>
    public DcganConfig Config { get; }

    /// <summary>Shape of one input image.</summary>
    public ImageShape Input => Config.Image;

    /// <summary>Codes <c>[N, Z]</c> for images <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        var s = Input;
        if (images.dim() != 4 || images.shape[1] != s.Channels || images.shape[2] != s.Height || images.shape[3] != s.Width)
            throw new ArgumentException($"images must be [N, {s.Channels}, {s.Height}, {s.Width}], got [{string.Join(", ", images.shape)}]", nameof(images));
        var x = images;
        foreach (var b in blocks) x = b.call(x); // [N, C_i, H_i, W_i]
        return head.call(x.flatten(1));          // [N, Z]
    }
}
