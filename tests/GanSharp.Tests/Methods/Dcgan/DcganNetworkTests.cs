using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Dcgan;

public class DcganNetworkTests
{
    /// <summary>Narrow networks: shapes and plumbing do not depend on the width, and they build in milliseconds.</summary>
    static DcganConfig Small(int size, int channels, DiscriminatorNorm norm = DiscriminatorNorm.BatchNorm) => new()
    {
        ImageSize = size, Channels = channels, LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8, DiscriminatorNorm = norm,
    };

    static Tensor Latents(long n, int size, int seed) => randn(new long[] { n, size }, generator: new Generator((ulong)seed)); // [N, Z]

    [Theory]
    [InlineData(28, 1, 3)]
    [InlineData(28, 3, 3)]
    [InlineData(32, 1, 4)]
    [InlineData(32, 3, 4)]
    [InlineData(64, 1, 5)]
    [InlineData(64, 3, 5)]
    public void ShapesAndRangeForEverySizeAndChannelCount(int size, int channels, int layers)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(1);
        var config = Small(size, channels);
        var g = new DcganGenerator(config);
        var d = new DcganDiscriminator(config);
        var images = g.call(Latents(2, 16, 2)); // [2, C, S, S]
        Assert.Equal(new long[] { 2, channels, size, size }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f);
        Assert.True(isfinite(images).all().item<bool>());
        Assert.Equal(new ImageShape(channels, size, size), g.Output);
        Assert.Equal(layers, g.LayerCount);
        Assert.Equal(g.Output, g.LayerShape(layers - 1));
        Assert.Equal(size == 28 ? 7 : 4, g.LayerShape(0).Height);

        var (score, features) = d.ScoreWithFeatures(images);
        Assert.Equal(new long[] { 2 }, score.shape);
        Assert.Equal(new long[] { 2, d.FeatureSize }, features.shape);
        int last = 8 << (layers - 2), s0 = size == 28 ? 7 : 4;
        Assert.Equal(last * s0 * s0, d.FeatureSize);
        Assert.Equal(new long[] { 2 }, d.call(images).shape);
        Assert.Equal(g.Output, d.Input);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    [InlineData(64)]
    public void SynthesizeFromFeaturesAtEqualsSynthesizeAtEveryLayer(int size)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var g = new DcganGenerator(Small(size, 3));
        Train(g, 4); // running statistics away from their initial values
        g.eval();
        using var _ = no_grad();
        var w = g.Map(Latents(2, 16, 4));
        var expected = g.Synthesize(w);
        for (int layer = 0; layer < g.LayerCount; layer++)
        {
            var features = g.FeaturesAt(layer, w);
            var shape = g.LayerShape(layer);
            Assert.Equal(new long[] { 2, shape.Channels, shape.Height, shape.Width }, features.shape);
            Assert.True(Same(expected, g.SynthesizeFrom(layer, features, w)), $"layer {layer}");
        }
    }

    [Fact]
    public void WPlusTruncationMeanAndMapAreTheIdentityPlumbingOfAGeneratorWithoutMapping()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(5);
        IGenerator g = new DcganGenerator(Small(32, 1));
        g.Module.eval();
        using var _ = no_grad();
        var z = Latents(3, 16, 6);
        var w = g.Map(z);
        Assert.True(Same(z, w));
        Assert.Equal(16, g.StyleSize);
        Assert.Equal(1, g.StyleCount);
        Assert.True(Same(g.Synthesize(w), g.Synthesize(w.unsqueeze(1)))); // w+ [N, 1, Z]
        Assert.True(Same(g.Synthesize(w), g.Generate(z)));
        Assert.True(Same(zeros(16), g.MeanLatent));
        Assert.True(Same(w * 0.5, g.Truncate(w, 0.5)));
        Assert.True(Same(g.Synthesize(w * 0.7), g.Generate(z, truncation: 0.7)));
        Assert.Empty(g.NoiseShapes);
        Assert.Empty(g.PaddingHooks);
        Assert.Equal(typeof(DcganConfig), g.Config.GetType());
        Assert.True(Same(g.Synthesize(w), g.Synthesize(w, Array.Empty<Tensor>())));
    }

    [Fact]
    public void BadInputsAreClearErrors()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var g = new DcganGenerator(Small(28, 1));
        var d = new DcganDiscriminator(Small(28, 1));
        var e = Assert.Throws<ArgumentException>(() => g.Synthesize(zeros(2, 15)));
        Assert.Contains("[N, 16] or w+ [N, 1, 16], got [2, 15]", e.Message);
        Assert.Throws<ArgumentException>(() => g.Synthesize(zeros(2, 2, 16))); // w+ with more than one style
        Assert.Throws<ArgumentException>(() => g.Map(zeros(2, 1, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.FeaturesAt(3, zeros(2, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.SynthesizeFrom(-1, zeros(2, 16, 7, 7), zeros(2, 16)));
        var f = Assert.Throws<ArgumentException>(() => g.SynthesizeFrom(1, zeros(2, 16, 7, 7), zeros(2, 16)));
        Assert.Contains("features of layer 1 must be [N, 8, 14, 14]", f.Message);
        Assert.Throws<ArgumentException>(() => g.Synthesize(zeros(2, 16), new[] { zeros(1, 1, 7, 7) }));
        var i = Assert.Throws<ArgumentException>(() => d.Score(zeros(2, 1, 32, 32)));
        Assert.Contains("images must be [N, 1, 28, 28]", i.Message);
    }

    [Theory]
    [InlineData(48, 1, 100, 64, 64, "image size 48: must be one of 28, 32, 64")]
    [InlineData(0, 1, 100, 64, 64, "image size 0")]
    [InlineData(28, 2, 100, 64, 64, "channels 2: must be 1 (gray) or 3 (RGB)")]
    [InlineData(28, 1, 0, 64, 64, "latent size 0")]
    [InlineData(28, 1, 100, 0, 64, "generator width 0")]
    [InlineData(28, 1, 100, 64, -3, "discriminator width -3")]
    public void InvalidConfigsAreRefusedWithAClearMessage(int size, int channels, int latent, int gw, int dw, string expected)
    {
        var config = new DcganConfig { ImageSize = size, Channels = channels, LatentSize = latent, GeneratorWidth = gw, DiscriminatorWidth = dw };
        var e = Assert.Throws<GanSharpException>(() => config.Validate());
        Assert.Contains(expected, e.Message);
        Assert.Throws<GanSharpException>(() => new DcganGenerator(config));
        Assert.Throws<GanSharpException>(() => new DcganDiscriminator(config));
    }

    [Fact]
    public void ConfigRoundTripsThroughJsonAndFillsMissingFieldsWithDefaults()
    {
        var config = new DcganConfig { ImageSize = 28, Channels = 1, LatentSize = 64, GeneratorWidth = 32, DiscriminatorWidth = 16, DiscriminatorNorm = DiscriminatorNorm.LayerNorm };
        var json = config.ToJson();
        Assert.Equal("LayerNorm", json.GetProperty("discriminatorNorm").GetString());
        Assert.False(json.TryGetProperty("image", out _)); // derived values are not stored
        Assert.Equal(config, DcganConfig.FromJson(json));

        using var partial = JsonDocument.Parse("""{"imageSize": 32, "channels": 1}""");
        Assert.Equal(DcganConfig.For(32, 1), DcganConfig.FromJson(partial.RootElement));
        Assert.Equal(100, DcganConfig.For(32, 1).LatentSize);
        Assert.Equal(DiscriminatorNorm.BatchNorm, DcganConfig.For(32, 1).DiscriminatorNorm);

        using var bad = JsonDocument.Parse("""{"imageSize": 30}""");
        Assert.Contains("image size 30", Assert.Throws<GanSharpException>(() => DcganConfig.FromJson(bad.RootElement)).Message);
        using var badNorm = JsonDocument.Parse("""{"discriminatorNorm": "SpectralNorm"}""");
        Assert.Contains("not valid", Assert.Throws<GanSharpException>(() => DcganConfig.FromJson(badNorm.RootElement)).Message);
    }

    [Theory]
    [InlineData(DiscriminatorNorm.LayerNorm)]
    [InlineData(DiscriminatorNorm.None)]
    public void CriticWithoutBatchNormScoresEachSampleIndependentlyOfItsBatch(DiscriminatorNorm norm)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(7);
        var d = new DcganDiscriminator(Small(32, 3, norm));
        Assert.DoesNotContain(d.modules(), m => m is TorchSharp.Modules.BatchNorm2d);
        d.train(); // the WGAN-GP penalty is taken in training mode
        var x = rand(4, 3, 32, 32) * 2 - 1;
        var together = d.call(x);
        var alone = d.call(x[..1]);
        Assert.True(isfinite(together).all().item<bool>());
        Assert.True(allclose(together[..1], alone, rtol: 1e-4, atol: 1e-5), $"{together[0].item<float>()} vs {alone[0].item<float>()}");

        var batchNormed = new DcganDiscriminator(Small(32, 3));
        batchNormed.train();
        Assert.False(allclose(batchNormed.call(x)[..2], batchNormed.call(x[..2]), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void WeightsFollowTheDcganInitialisation()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(8);
        var g = new DcganGenerator(DcganConfig.For(64, 3));
        var conv = g.named_parameters().Single(p => p.name == "blocks.0.conv.weight").parameter; // [512, 256, 4, 4]
        Assert.InRange(conv.std().item<float>(), 0.0195f, 0.0205f);
        Assert.InRange(conv.mean().item<float>(), -0.0005f, 0.0005f);
        var bn = g.named_parameters().Single(p => p.name == "project.norm.weight").parameter; // [512]
        Assert.InRange(bn.mean().item<float>(), 0.99f, 1.01f);
        Assert.InRange(bn.std().item<float>(), 0.01f, 0.03f);
        Assert.Equal(0f, g.named_parameters().Single(p => p.name == "blocks.3.conv.bias").parameter.abs().max().item<float>());
        var d = new DcganDiscriminator(DcganConfig.For(64, 3));
        Assert.Equal(8192, d.FeatureSize);
        Assert.InRange(d.named_parameters().Single(p => p.name == "head.weight").parameter.std().item<float>(), 0.018f, 0.022f);

        // TorchSharp 0.107 leaves GroupNorm's affine parameters uninitialised; the layer-norm critic must start at 1 and 0.
        var critic = new DcganDiscriminator(Small(32, 3, DiscriminatorNorm.LayerNorm));
        foreach (var (name, p) in critic.named_parameters().Where(p => p.name.Contains(".norm.")))
            Assert.True(Same(p, name.EndsWith("weight") ? ones_like(p) : zeros_like(p)), name);
        Assert.Equal(4, critic.named_parameters().Count(p => p.name.Contains(".norm.")));
    }

    [Fact]
    public void CheckpointRebuildsBothNetworksWithIdenticalOutputs()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("dcgan");
        manual_seed(9);
        var config = Small(28, 1) with { DiscriminatorNorm = DiscriminatorNorm.LayerNorm };
        var g = new DcganGenerator(config);
        var d = new DcganDiscriminator(config);
        Train(g, 2); // BatchNorm running statistics must travel too
        string path = dir.Combine("ckpt");
        using (var writer = new CheckpointWriter(path, DcganModels.Method, 1, CheckpointWriter.ToJson(new { seed = 9 }), config.ToJson()))
        {
            writer.AddModule(DcganModels.Generator, g);
            writer.AddModule(DcganModels.Discriminator, d);
            writer.Commit();
        }

        var registry = new CheckpointModelRegistry();
        DcganModels.Register(registry);
        var reader = CheckpointReader.Open(path);
        var g2 = Assert.IsType<DcganGenerator>(reader.BuildModule(DcganModels.Generator, registry));
        var d2 = Assert.IsType<DcganDiscriminator>(reader.BuildModule(DcganModels.Discriminator, registry));
        Assert.Equal(config, g2.Config);
        Assert.Equal(config, d2.Config);
        g.eval(); g2.eval(); d.eval(); d2.eval();
        using var _ = no_grad();
        var z = Latents(2, 16, 10);
        var images = g.call(z);
        Assert.True(Same(images, g2.call(z)));
        Assert.True(Same(d.call(images), d2.call(images)));
    }

    [Fact]
    public void NonSaturatingTrainingOnAFixedBatchLowersTheDiscriminatorLoss()
    {
        TorchRuntime.EnsureInitialized();
        using var outer = NewDisposeScope();
        manual_seed(11);
        var config = new DcganConfig { ImageSize = 28, Channels = 1, LatentSize = 16, GeneratorWidth = 8, DiscriminatorWidth = 8 };
        var g = new DcganGenerator(config);
        var d = new DcganDiscriminator(config);
        var real = FixedDigits(8);           // [8, 1, 28, 28]
        var z = Latents(8, 16, 12);          // [8, Z]
        var optG = optim.Adam(g.parameters(), lr: 1e-3, beta1: 0.5, beta2: 0.999);
        var optD = optim.Adam(d.parameters(), lr: 1e-3, beta1: 0.5, beta2: 0.999);
        var dLosses = new List<float>();
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            // D: softplus(−D(x)) + softplus(D(G(z))) = −log σ(D(x)) − log(1 − σ(D(G(z)))).
            optD.zero_grad();
            var fake = g.call(z);
            var lossD = nn.functional.softplus(-d.call(real)).mean() + nn.functional.softplus(d.call(fake.detach())).mean();
            lossD.backward();
            optD.step();
            dLosses.Add(lossD.item<float>());
            // G, non-saturating: softplus(−D(G(z))) = −log σ(D(G(z))).
            optG.zero_grad();
            var lossG = nn.functional.softplus(-d.call(g.call(z))).mean();
            lossG.backward();
            optG.step();
            Assert.True(float.IsFinite(lossG.item<float>()), $"G loss at step {step}");
        }
        Assert.All(dLosses, l => Assert.True(float.IsFinite(l)));
        Assert.True(dLosses[^1] < 0.7f * dLosses[0], $"D loss {dLosses[0]:0.000} → {dLosses[^1]:0.000}");
        Assert.All(g.parameters().Concat(d.parameters()), p => Assert.True(isfinite(p).all().item<bool>()));
    }

    /// <summary>Runs a few training-mode forward passes so that BatchNorm running statistics move.</summary>
    static void Train(DcganGenerator g, int passes)
    {
        g.train();
        using var _ = no_grad();
        for (int i = 0; i < passes; i++) g.call(Latents(4, g.LatentSize, 100 + i));
    }

    /// <summary>Deterministic 28×28 gray images in [-1, 1]: a bright bar at a different place and angle in each.</summary>
    static Tensor FixedDigits(int n)
    {
        var grid = arange(28, dtype: float32) / 27f * 2f - 1f;                 // [28]
        var y = grid.view(1, 28, 1);
        var x = grid.view(1, 1, 28);
        var angle = arange(n, dtype: float32).view(n, 1, 1) * (MathF.PI / n); // [n, 1, 1]
        var offset = (arange(n, dtype: float32).view(n, 1, 1) / n - 0.5f) * 0.6f;
        var distance = (x * angle.cos() + y * angle.sin() - offset).abs();   // [n, 28, 28]
        return (exp(-distance.square() * 40f) * 2f - 1f).unsqueeze(1);         // [n, 1, 28, 28]
    }

    /// <summary>Bit-identical: same shape and every element equal.</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();
}
