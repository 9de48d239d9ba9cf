using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Metrics;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

/// <summary>
/// Tiny networks for the inversion tests, with parameters drawn from a private <see cref="Generator"/> (tests run in
/// parallel and share torch's global RNG, so a global seed would not make them reproducible).
/// </summary>
static class InversionTestModels
{
    /// <summary>Redraws every floating parameter from N(mean, std) with a private generator; norm scales around 1.</summary>
    public static void Reinitialise(nn.Module module, ulong seed, double std = 0.2)
    {
        using var rng = new Generator(seed);
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            bool scale = name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("bn.weight", StringComparison.Ordinal);
            bool bias = name.EndsWith("bias", StringComparison.Ordinal);
            p.normal_(scale ? 1.0 : 0.0, bias ? std / 4 : std, generator: rng);
        }
    }

    /// <summary>Redraws every parameter with more than one distinct value from N(its mean, its std): the module's own scale, private randomness.</summary>
    public static void Redraw(nn.Module module, ulong seed)
    {
        using var rng = new Generator(seed);
        using var _ = no_grad();
        foreach (var (_, p) in module.named_parameters())
        {
            if (p.numel() < 2) continue;
            double std = p.std().item<float>(), mean = p.mean().item<float>();
            if (std > 0) p.normal_(mean, std, generator: rng);
        }
    }

    /// <summary>A 1-channel 8×8 feature network of width 2 (stages 2, 4, 8 channels), eval mode.</summary>
    public static FeatureNetwork FeatureNet(ulong seed, int channels = 1, int size = 8)
    {
        TorchRuntime.EnsureInitialized();
        var net = new FeatureNetwork(new FeatureNetworkConfig(channels, size, Classes: 3, Width: 2, FeatureDim: 4));
        Reinitialise(net, seed, 0.5);
        net.eval();
        return net;
    }

    /// <summary>A 28×28 DCGAN generator with z of 8 and width 8, eval mode.</summary>
    public static DcganGenerator Dcgan(ulong seed, int channels = 1, int latent = 8)
    {
        TorchRuntime.EnsureInitialized();
        var g = new DcganGenerator(new DcganConfig { ImageSize = 28, Channels = channels, LatentSize = latent, GeneratorWidth = 8, DiscriminatorWidth = 8 });
        Reinitialise(g, seed, 0.2);
        g.eval();
        return g;
    }

    /// <summary>A 16×16 (or <paramref name="resolution"/>) StyleGAN generator (8 channels, z 8, w 8), eval mode.</summary>
    public static StyleGanGenerator StyleGan(ulong seed, int channels = 3, int resolution = 16)
    {
        TorchRuntime.EnsureInitialized();
        var g = new StyleGanGenerator(new StyleGanConfig(Resolution: resolution, Channels: channels, LatentSize: 8, StyleSize: 8, MappingLayers: 2,
            ChannelBase: 64, MaxChannels: 8));
        Redraw(g, seed);
        g.eval();
        return g;
    }

    /// <summary>The tiny feature network as φ.</summary>
    public static IPerceptualFeatures Phi(ulong seed, int channels = 1, int size = 8) => new FeatureNetworkPerceptual(FeatureNet(seed, channels, size));

    /// <summary><paramref name="n"/> images the DCGAN <paramref name="g"/> draws from seeded z (its latent size), without gradients: targets it can reach.</summary>
    public static Tensor Drawn(DcganGenerator g, long n, ulong seed)
    {
        using var _ = no_grad();
        return g.Synthesize(randn(new long[] { n, g.LatentSize }, generator: new Generator(seed)));
    }

    /// <summary>Uniform images in [-1, 1] from a private generator.</summary>
    public static Tensor Images(ulong seed, long n, int channels, int size, ScalarType dtype = ScalarType.Float32) =>
        (rand(new long[] { n, channels, size, size }, dtype: dtype, generator: new Generator(seed)) * 2 - 1);
}
