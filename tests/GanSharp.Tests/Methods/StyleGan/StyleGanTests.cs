using GanSharp.Losses;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using GanSharp.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Methods.StyleGan;

public class StyleGanTests
{
    public StyleGanTests() => TorchRuntime.EnsureInitialized();

    /// <summary>Tiny widths (16 at 4 and 8 px, halving after) so that the tests run in seconds on 2 cores.</summary>
    static StyleGanConfig Tiny(int resolution = 32, int channels = 3) => new(
        Resolution: resolution, Channels: channels, LatentSize: 12, StyleSize: 10, MappingLayers: 3,
        ChannelBase: 128, MaxChannels: 16);

    static StyleGanGenerator NewGenerator(StyleGanConfig config, int seed, bool noiseOn = true)
    {
        manual_seed(seed);
        var g = new StyleGanGenerator(config);
        if (noiseOn)
        {
            // B starts at zero; switch the noise on so that tests about noise see it.
            using var _ = no_grad();
            foreach (var (name, p) in g.named_parameters())
                if (name.Contains("noise")) p.fill_(0.5);
        }
        return g;
    }

    static Tensor Z(IGenerator g, int seed, long n = 2) => g.SampleLatents(n, new Generator((ulong)seed));

    static bool Same(Tensor a, Tensor b) => GradCheck.Same(a, b);

    [Theory]
    [InlineData(32, 3)]
    [InlineData(64, 1)]
    [InlineData(8, 3)]
    public void ShapesFollowTheResolution(int resolution, int channels)
    {
        using var scope = NewDisposeScope();
        var config = Tiny(resolution, channels);
        var g = NewGenerator(config, 1);
        int blocks = (int)Math.Log2(resolution) - 1;
        Assert.Equal(blocks, g.LayerCount);
        Assert.Equal(2 * blocks, g.StyleCount);
        Assert.Equal(2 * blocks, g.NoiseShapes.Count);
        Assert.Equal(2 * blocks - 1, g.PaddingHooks.Count);
        Assert.Equal(new ImageShape(channels, resolution, resolution), g.Output);
        Assert.Equal(new long[] { 1, resolution, resolution }, g.NoiseShapes[^1]);
        using var _ = no_grad();
        var z = Z(g, 2);
        var w = g.Map(z);
        Assert.Equal(new long[] { 2, 10 }, w.shape);
        var x = g.call(z);
        Assert.Equal(g.Output.Batch(2), x.shape);
        Assert.True(x.abs().max().item<float>() <= 1f);
        for (int l = 0; l < g.LayerCount; l++)
        {
            int r = 4 << l;
            Assert.Equal(new long[] { 2, config.Width(r), r, r }, g.FeaturesAt(l, w).shape);
        }
        // Hooks are the 3x3 convs in synthesis order: their input sizes are 4, 8, 8, 16, 16, ...
        var sizes = g.PaddingHooks.Select(h => h.LastInputSize.Height).ToArray();
        Assert.Equal(Enumerable.Range(0, 2 * blocks - 1).Select(i => 4 << ((i + 1) / 2)), sizes);

        var d = new StyleGanDiscriminator(config);
        var (score, features) = d.ScoreWithFeatures(x);
        Assert.Equal(new long[] { 2 }, score.shape);
        Assert.Equal(new long[] { 2, d.FeatureSize }, features.shape);
        Assert.Equal(config.Width(4), d.FeatureSize);
        Assert.True(Same(score, d.Score(x)));
    }

    [Fact]
    public void WIsTheSameAsWPlusWithIdenticalRowsAndFixedNoiseIsDeterministic()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 3);
        using var _ = no_grad();
        var w = g.Map(Z(g, 4));
        var noise = g.MakeNoise(2, new Generator(5));
        var fromW = g.Synthesize(w, noise);
        var wplus = w.unsqueeze(1).repeat(1, g.StyleCount, 1).contiguous(); // [N, K, S]
        Assert.True(Same(fromW, g.Synthesize(wplus, noise)));
        Assert.True(Same(fromW, g.Synthesize(w, noise)));
        Assert.True(Same(fromW, g.Synthesize(w, g.MakeNoise(2, new Generator(5)))));
        Assert.False(Same(fromW, g.Synthesize(w, g.MakeNoise(2, new Generator(6)))));
        Assert.False(Same(fromW, g.Synthesize(w))); // fresh noise
        var shared = g.MakeNoise(1, new Generator(7)); // batch dimension 1 broadcasts
        Assert.Equal(g.Output.Batch(2), g.Synthesize(w, shared).shape);
        Assert.Throws<ArgumentException>(() => g.Synthesize(w, noise.Take(3).ToList()));
        Assert.Throws<ArgumentException>(() => g.Synthesize(randn(2, 3, 10)));
    }

    [Fact]
    public void FeaturesAtThenSynthesizeFromIsExactlySynthesize()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 8);
        using var _ = no_grad();
        var ws = g.MixStyles(Z(g, 9), Z(g, 10), 1.0, new Generator(11));
        var noise = g.MakeNoise(2, new Generator(12));
        var full = g.Synthesize(ws, noise);
        for (int l = 0; l < g.LayerCount; l++)
            Assert.True(Same(full, g.SynthesizeFrom(l, g.FeaturesAt(l, ws, noise), ws, noise)), $"layer {l}");
        Assert.Throws<ArgumentOutOfRangeException>(() => g.FeaturesAt(g.LayerCount, ws));
    }

    [Fact]
    public void TruncationZeroGivesTheMeanImageAndOneIsIdentity()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 13);
        using var _ = no_grad();
        var mean = g.ComputeMeanLatent(256, new Generator(14));
        Assert.True(mean.abs().sum().item<float>() > 0);
        Assert.True(Same(mean, g.MeanLatent));
        var w = g.Map(Z(g, 15));
        var noise = g.MakeNoise(2, new Generator(16));
        Assert.True(Same(w, g.Truncate(w, 1.0)));
        var wplus = g.CombineStyles(w, w.flip(0), 3);
        Assert.True(Same(wplus, g.Truncate(wplus, 1.0)));
        var meanImage = g.Synthesize(mean.expand(2, -1), noise);
        Assert.True(Same(meanImage, g.Synthesize(g.Truncate(w, 0.0), noise)));
        Assert.True(Same(meanImage, g.Synthesize(g.Truncate(wplus, 0.0), noise)));
        var half = g.Truncate(w, 0.5);
        Assert.True(allclose(half, (w + mean) / 2, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void MeanLatentIsAnEmaOfTheMappedStyles()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 17);
        Assert.Equal(0f, g.MeanLatent.abs().sum().item<float>());
        using var _ = no_grad();
        var w = g.Map(Z(g, 18, 4));
        g.UpdateMeanLatent(w);
        Assert.True(allclose(g.MeanLatent, 0.005 * w.mean(new long[] { 0 }), rtol: 1e-5, atol: 1e-8));
        g.UpdateMeanLatent(w.unsqueeze(1).expand(-1, g.StyleCount, -1)); // w+ counts every row
        Assert.True(allclose(g.MeanLatent, (0.005 * 0.995 + 0.005) * w.mean(new long[] { 0 }), rtol: 1e-5, atol: 1e-8));
        g.to(float64);
        Assert.Equal(ScalarType.Float64, g.MeanLatent.dtype);
        Assert.Equal("meanLatent", Assert.Single(g.named_buffers()).name);
    }

    [Fact]
    public void StyleMixingSwitchesFromW1ToW2AtOneCrossover()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 19);
        using var _ = no_grad();
        var z1 = Z(g, 20);
        var z2 = Z(g, 21);
        var w1 = g.Map(z1);
        var w2 = g.Map(z2);
        var seen = new HashSet<int>();
        var rng = new Generator(22);
        for (int trial = 0; trial < 12; trial++)
        {
            var ws = g.MixStyles(z1, z2, 1.0, rng);
            Assert.Equal(new long[] { 2, g.StyleCount, g.StyleSize }, ws.shape);
            int k = Enumerable.Range(0, g.StyleCount).First(i => !Same(ws[.., i], w1));
            Assert.InRange(k, 1, g.StyleCount - 1);
            for (int i = 0; i < g.StyleCount; i++)
                Assert.True(Same(ws[.., i], i < k ? w1 : w2), $"row {i} with crossover {k}");
            seen.Add(k);
        }
        Assert.True(seen.Count >= 3, $"crossovers seen: {string.Join(", ", seen)}");
        var unmixed = g.MixStyles(z1, z2, 0.0, rng);
        for (int i = 0; i < g.StyleCount; i++) Assert.True(Same(unmixed[.., i], w1));
        // The mixed image differs from both sources.
        var noise = g.MakeNoise(2, new Generator(23));
        var mixed = g.Synthesize(g.CombineStyles(w1, w2, 2), noise);
        Assert.False(Same(mixed, g.Synthesize(w1, noise)));
        Assert.False(Same(mixed, g.Synthesize(w2, noise)));
    }

    [Fact]
    public void PaddingHooksAreExactWhenZeroAndCarryGradients()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(16), 24);
        var w = g.Map(Z(g, 25)).detach();
        var noise = g.MakeNoise(2, new Generator(26));
        Tensor plain;
        using (no_grad()) plain = g.Synthesize(w, noise);
        var pads = g.PaddingHooks.Select(h =>
            zeros(2, h.Channels, h.LastInputSize.Height + 2 * h.Padding, h.LastInputSize.Width + 2 * h.Padding).requires_grad_(true)).ToList();
        for (int i = 0; i < pads.Count; i++) g.PaddingHooks[i].ExternalPadding = pads[i];
        var hooked = g.Synthesize(w, noise);
        Assert.True(Same(plain, hooked.detach()));
        hooked.square().sum().backward();
        foreach (var p in pads) Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        using (no_grad())
        {
            g.PaddingHooks[1].ExternalPadding = pads[1].detach() + 1;
            Assert.False(Same(plain, g.Synthesize(w, noise)));
        }
        foreach (var h in g.PaddingHooks) h.ExternalPadding = null;
        using (no_grad()) Assert.True(Same(plain, g.Synthesize(w, noise)));
    }

    [Fact]
    public void CheckpointRoundTripRebuildsIdenticalNetworks()
    {
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("stylegan");
        var config = Tiny(16, 1);
        var g = NewGenerator(config, 27);
        manual_seed(28);
        var d = new StyleGanDiscriminator(config);
        using (no_grad()) g.UpdateMeanLatent(g.Map(Z(g, 29, 8)));
        string path = dir.Combine("ckpt");
        using (var writer = new CheckpointWriter(path, StyleGanModels.Method, 7, CheckpointWriter.ToJson(new { }), CheckpointWriter.ToJson(config)))
        {
            writer.AddModule(StyleGanModels.Generator, g);
            writer.AddModule(StyleGanModels.Discriminator, d);
            writer.Commit();
        }
        var registry = new CheckpointModelRegistry();
        StyleGanModels.Register(registry);
        var reader = CheckpointReader.Open(path);
        Assert.Equal(config, StyleGanModels.ReadConfig(reader.Manifest.Architecture));
        var g2 = Assert.IsType<StyleGanGenerator>(reader.BuildModule(StyleGanModels.Generator, registry, CPU));
        var d2 = Assert.IsType<StyleGanDiscriminator>(reader.BuildModule(StyleGanModels.Discriminator, registry, CPU));
        using var _ = no_grad();
        var z = Z(g, 30);
        var noise = g.MakeNoise(2, new Generator(31));
        var x = g.Generate(z, truncation: 0.7, noise: noise);
        Assert.True(Same(g.MeanLatent, g2.MeanLatent));
        Assert.True(Same(x, g2.Generate(z, truncation: 0.7, noise: noise)));
        Assert.True(Same(d.Score(x), d2.Score(x)));
    }

    [Fact]
    public void ConfigValidatesAndRoundTripsThroughJson()
    {
        var config = new StyleGanConfig();
        Assert.Same(config, config.Validate());
        Assert.Equal(new[] { 256, 128, 64, 32, 16 }, new[] { 4, 8, 16, 32, 64 }.Select(config.Width));
        Assert.Equal(4, config.BlockCount);
        var json = JsonSerializer.Serialize(Tiny(64, 1), CheckpointManifest.JsonOptions);
        Assert.Equal(Tiny(64, 1), JsonSerializer.Deserialize<StyleGanConfig>(json, CheckpointManifest.JsonOptions));
        Assert.Equal(new StyleGanConfig(), JsonSerializer.Deserialize<StyleGanConfig>("{}", CheckpointManifest.JsonOptions));
        Assert.Contains("power of two", Assert.Throws<GanSharpException>(() => new StyleGanConfig(Resolution: 48).Validate()).Message);
        Assert.Contains("power of two", Assert.Throws<GanSharpException>(() => new StyleGanConfig(Resolution: 4).Validate()).Message);
        Assert.Contains("channels 2", Assert.Throws<GanSharpException>(() => new StyleGanConfig(Channels: 2).Validate()).Message);
        Assert.Contains("mixing probability", Assert.Throws<GanSharpException>(() => new StyleGanConfig(MixingProbability: 1.5).Validate()).Message);
        Assert.Throws<GanSharpException>(() => new StyleGanGenerator(new StyleGanConfig(MeanLatentDecay: 1)));
    }

    [Fact]
    public void NonSaturatingTrainingLowersTheDiscriminatorLoss()
    {
        using var outer = NewDisposeScope();
        var config = Tiny(8);
        var g = NewGenerator(config, 32, noiseOn: false);
        manual_seed(33);
        var d = new StyleGanDiscriminator(config);
        // A fixed "real" batch: two smooth colour gradients in [-1, 1].
        var ramp = linspace(-0.8, 0.8, 8);
        var real = stack(new[] { ramp.reshape(1, 1, 8).expand(3, 8, 8), ramp.reshape(1, 8, 1).expand(3, 8, 8) }); // [2, 3, 8, 8]
        var optG = optim.Adam(g.parameters(), lr: 2e-3, beta1: 0.0, beta2: 0.99);
        var optD = optim.Adam(d.parameters(), lr: 2e-3, beta1: 0.0, beta2: 0.99);
        var rng = new Generator(34);
        var dLosses = new List<double>();
        for (int step = 0; step < 16; step++)
        {
            using var scope = NewDisposeScope();
            // D and G with the library's non-saturating losses (the ones GanMethod trains with).
            Tensor fake;
            using (no_grad()) fake = g.Synthesize(g.MixStyles(Z(g, 100 + step), Z(g, 200 + step), config.MixingProbability, rng));
            optD.zero_grad();
            var lossD = AdversarialLosses.DiscriminatorLoss(AdversarialLoss.NonSaturating, d.Score(real), d.Score(fake));
            lossD.backward();
            optD.step();
            dLosses.Add(lossD.item<float>());
            optG.zero_grad();
            var ws = g.MixStyles(Z(g, 300 + step), Z(g, 400 + step), config.MixingProbability, rng);
            var lossG = AdversarialLosses.GeneratorLoss(AdversarialLoss.NonSaturating, d.Score(g.Synthesize(ws)));
            lossG.backward();
            optG.step();
            g.UpdateMeanLatent(ws);
            Assert.True(double.IsFinite(lossG.item<float>()), $"G loss at step {step}");
        }
        Assert.All(dLosses, l => Assert.True(double.IsFinite(l)));
        Assert.True(dLosses.TakeLast(4).Average() < dLosses.Take(4).Average(), "D loss: " + string.Join(", ", dLosses.Select(l => l.ToString("0.000"))));
        Assert.All(g.parameters().Concat(d.parameters()), p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.True(g.MeanLatent.isfinite().all().item<bool>() && g.MeanLatent.abs().sum().item<float>() > 0);
    }
}
