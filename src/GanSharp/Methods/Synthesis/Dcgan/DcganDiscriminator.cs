using GanSharp.Nn;
using GanSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>
/// The DCGAN discriminator (or WGAN critic): strided 4×4 convolutions with LeakyReLU(0.2) halve the resolution down to
/// 4×4 (7×7 at 28 px); a linear layer on the flattened last activation gives one raw score per image (no sigmoid).
/// </summary>
/// <remarks>
/// <para>Radford, Metz, Chintala, "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial
/// Networks", ICLR 2016: strided convolutions instead of pooling, LeakyReLU(0.2), normalisation in every block but the
/// first, weights from N(0, 0.02). Blocks have w, 2w, 4w, … channels (w = <see cref="DcganConfig.DiscriminatorWidth"/>).</para>
/// <para>The final linear layer equals the paper's (and the PyTorch example's) 4×4 valid convolution to one channel.
/// The normalisation is <see cref="DcganConfig.DiscriminatorNorm"/>: BatchNorm by default; WGAN-GP critics use layer
/// normalisation or none (Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017), because the
/// gradient penalty is defined per sample. Convolutions followed by a normalisation carry no bias.</para>
/// <para>Features (<see cref="ScoreWithFeatures"/>) are the flattened last hidden activation, after its LeakyReLU:
/// <c>[N, C_last·S·S]</c>, e.g. 512·4·4 = 8192 at 64 px with w = 64.</para>
/// </remarks>
public sealed class DcganDiscriminator : nn.Module<Tensor, Tensor>, IDiscriminator
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> blocks; // each halves the resolution
    readonly nn.Module<Tensor, Tensor> head;                                  // [N, FeatureSize] → [N, 1]

    /// <summary>Builds the discriminator for <paramref name="config"/> (validated) with the DCGAN initialisation.</summary>
    public DcganDiscriminator(DcganConfig config) : base(nameof(DcganDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        int steps = config.Steps, w = config.DiscriminatorWidth;
        var list = new List<nn.Module<Tensor, Tensor>>();
        long cin = config.Channels;
        for (int i = 0; i < steps; i++)
        {
            long cout = (long)w << i;
            bool normed = i > 0 && config.DiscriminatorNorm != DiscriminatorNorm.None;
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>
            {
                ("conv", nn.Conv2d(cin, cout, 4, stride: 2, padding: 1, bias: !normed)),
            };
            if (normed)
                layers.Add(("norm", config.DiscriminatorNorm == DiscriminatorNorm.BatchNorm
                    ? nn.BatchNorm2d(cout)
                    : nn.GroupNorm(1, cout))); // one group: normalised over [C, H, W] per sample, per-channel affine
            layers.Add(("lrelu", nn.LeakyReLU(0.2)));
            list.Add(nn.Sequential(layers.ToArray()));
            cin = cout;
        }
        blocks = nn.ModuleList(list.ToArray());
        FeatureSize = checked((int)(cin * config.StartSize * config.StartSize));
        head = nn.Linear(FeatureSize, 1);
        RegisterComponents();
        DcganInit.Apply(this);
    }

    /// <summary>The architecture config this discriminator was built from.</summary>
    public DcganConfig Config { get; }

    nn.Module IDiscriminator.Module => this;

    object IDiscriminator.Config => Config;

    /// <inheritdoc />
    public ImageShape Input => Config.Image;

    /// <summary>Channels × height × width of the last hidden block (e.g. 128·7·7 at 28 px, 512·4·4 at 64 px, w = 64).</summary>
    public int FeatureSize { get; }

    /// <summary>Raw scores <c>[N]</c> for images <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor images) => Score(images);

    /// <inheritdoc />
    public Tensor Score(Tensor images) => ScoreWithFeatures(images).Score;

    /// <inheritdoc />
    public (Tensor Score, Tensor Features) ScoreWithFeatures(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var shape = Input;
        if (images.dim() != 4 || images.shape[1] != shape.Channels || images.shape[2] != shape.Height || images.shape[3] != shape.Width)
            throw new ArgumentException(
                $"images must be [N, {shape.Channels}, {shape.Height}, {shape.Width}], got [{string.Join(", ", images.shape)}]",
                nameof(images));
        var x = images;
        foreach (var block in blocks) x = block.call(x); // [N, C_i, H/2^(i+1), W/2^(i+1)]
        var features = x.flatten(1);                      // [N, FeatureSize]
        var score = head.call(features).squeeze(1);       // [N]
        return (score, features);
    }
}
