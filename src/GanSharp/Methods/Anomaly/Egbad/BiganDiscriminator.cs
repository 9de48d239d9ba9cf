using GanSharp.Methods.Synthesis.Dcgan;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>
/// The BiGAN discriminator D(x, z): an image branch with the DCGAN discriminator's convolutions (no normalisation, so a
/// pair's score never depends on the rest of the batch), a z branch (linear + LeakyReLU), and a joint layer whose
/// output are the features f(x, z) used by the feature-matching score; a linear head gives one logit per pair.
/// </summary>
/// <remarks>Donahue et al., ICLR 2017; Zenati et al. 2018 (the EGBAD networks, scaled down).</remarks>
public sealed class BiganDiscriminator : nn.Module<Tensor, Tensor, Tensor>
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> imageBlocks;
    readonly nn.Module<Tensor, Tensor> latentBranch; // [N, Z] → [N, J]
    readonly nn.Module<Tensor, Tensor> joint;        // [N, F + J] → [N, J]
    readonly nn.Module<Tensor, Tensor> head;         // [N, J] → [N, 1]

    /// <summary>Builds the discriminator for images and latents of <paramref name="config"/>, with <paramref name="jointWidth"/> joint units.</summary>
    public BiganDiscriminator(DcganConfig config, int jointWidth) : base(nameof(BiganDiscriminator))
    {
        Config = config.Validate();
        var list = new List<nn.Module<Tensor, Tensor>>();
        long cin = config.Channels;
        for (int i = 0; i < config.Steps; i++)
        {
            long cout = (long)config.DiscriminatorWidth << i;
            list.Add(nn.Sequential(("conv", nn.Conv2d(cin, cout, 4, stride: 2, padding: 1)), ("lrelu", nn.LeakyReLU(0.2))));
            cin = cout;
        }
        imageBlocks = nn.ModuleList(list.ToArray());
        long imageFeatures = cin * config.StartSize * config.StartSize;
        latentBranch = nn.Sequential(("linear", nn.Linear(config.LatentSize, jointWidth)), ("lrelu", nn.LeakyReLU(0.2)));
        joint = nn.Sequential(("linear", nn.Linear(imageFeatures + jointWidth, jointWidth)), ("lrelu", nn.LeakyReLU(0.2)));
        head = nn.Linear(jointWidth, 1);
        FeatureSize = jointWidth;
        RegisterComponents();
    }

    /// <summary>The image/latent config.</summary>
    public DcganConfig Config { get; }

    /// <summary>Size of the joint features.</summary>
    public int FeatureSize { get; }

    /// <summary>Logits <c>[N]</c> for pairs of images <c>[N, C, H, W]</c> and latents <c>[N, Z]</c>.</summary>
    public override Tensor forward(Tensor images, Tensor latents) => ScoreWithFeatures(images, latents).Score;

    /// <summary>Logits <c>[N]</c> and joint features <c>[N, J]</c>.</summary>
    public (Tensor Score, Tensor Features) ScoreWithFeatures(Tensor images, Tensor latents)
    {
        var x = images;
        foreach (var b in imageBlocks) x = b.call(x);                      // [N, C_i, H_i, W_i]
        var f = joint.call(cat(new[] { x.flatten(1), latentBranch.call(latents) }, 1)); // [N, J]
        return (head.call(f).squeeze(1), f);
    }
}
