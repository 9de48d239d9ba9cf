using GanSharp.Checkpoints;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using GanSharp.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.StyleGan;

public class StyleGan2Tests
{
    public StyleGan2Tests() => TorchRuntime.EnsureInitialized();

    static StyleGanConfig Tiny(int resolution = 16, int channels = 3) => new(
        Resolution: resolution, Channels: channels, LatentSize: 12, StyleSize: 10, MappingLayers: 2, ChannelBase: 128, MaxChannels: 16);

    static StyleGan2Generator NewGenerator(StyleGanConfig config, int seed)
    {
        manual_seed(seed);
        var g = new StyleGan2Generator(config);
        using var _ = no_grad();
        foreach (var (name, p) in g.named_parameters())
            if (name.Contains("noise")) p.fill_(0.3); // noise strengths start at 0: switch them on
        return g;
    }

    static Tensor Z(IGenerator g, int seed, long n = 2) => g.SampleLatents(n, new Generator((ulong)seed));

    [Theory]
    [InlineData(16, 3)]
    [InlineData(8, 1)]
    [InlineData(32, 3)]
    public void ShapesStylesNoiseAndHooksFollowTheResolution(int resolution, int channels)
    {
        using var scope = NewDisposeScope();
        var config = Tiny(resolution, channels);
        var g = NewGenerator(config, 1);
        int blocks = (int)Math.Log2(resolution) - 1;
        Assert.Equal(blocks, g.LayerCount);
        Assert.Equal(2 * blocks, g.StyleCount);
        Assert.Equal(2 * blocks - 1, g.NoiseShapes.Count);
        Assert.Equal(2 * blocks - 1, g.PaddingHooks.Count);
        using var _ = no_grad();
        var z = Z(g, 2);
        var x = g.call(z);
        Assert.Equal(g.Output.Batch(2), x.shape);
        Assert.True(x.abs().max().item<float>() <= 1f);
        var w = g.Map(z);
        for (int l = 0; l < g.LayerCount; l++)
        {
            int r = 4 << l;
            Assert.Equal(new long[] { 2, config.Width(r) + channels, r, r }, g.FeaturesAt(l, w).shape); // maps + partial image
        }
        var sizes = g.PaddingHooks.Select(h => h.LastInputSize.Height).ToArray();
        Assert.Equal(Enumerable.Range(0, 2 * blocks - 1).Select(i => 4 << ((i + 1) / 2)), sizes);

        var d = new StyleGanDiscriminator(config, residual: true);
        Assert.True(d.Residual);
        var (score, features) = d.ScoreWithFeatures(x);
        Assert.Equal(new long[] { 2 }, score.shape);
        Assert.Equal(new long[] { 2, d.FeatureSize }, features.shape);
    }

    [Fact]
    public void FeaturesAtThenSynthesizeFromIsExactlySynthesizeAtEveryLayer()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(32), 3);
        using var _ = no_grad();
        var ws = g.MixStyles(Z(g, 4), Z(g, 5), 1.0, new Generator(6));
        var noise = g.MakeNoise(2, new Generator(7));
        var full = g.Synthesize(ws, noise);
        for (int l = 0; l < g.LayerCount; l++)
            Assert.True(GradCheck.Same(full, g.SynthesizeFrom(l, g.FeaturesAt(l, ws, noise), ws, noise)), $"layer {l}");
        // Editing the partial image of a layer changes the output: it is part of the state, not decoration.
        var f = g.FeaturesAt(1, ws, noise);
        f[.., ^3..] += 0.5;
        Assert.False(GradCheck.Same(full, g.SynthesizeFrom(1, f, ws, noise)));
        Assert.Throws<ArgumentException>(() => g.SynthesizeFrom(1, f[.., ..^3], ws, noise));
    }

    [Fact]
    public void WEqualsWPlusWithIdenticalRowsAndEveryStyleRowIsUsed()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 8);
        using var _ = no_grad();
        var w = g.Map(Z(g, 9));
        var noise = g.MakeNoise(2, new Generator(10));
        var fromW = g.Synthesize(w, noise);
        Assert.True(GradCheck.Same(fromW, g.Synthesize(w.unsqueeze(1).repeat(1, g.StyleCount, 1).contiguous(), noise)));
        Assert.True(GradCheck.Same(fromW, g.Synthesize(w, g.MakeNoise(2, new Generator(10)))));
        Assert.False(GradCheck.Same(fromW, g.Synthesize(w, g.MakeNoise(2, new Generator(11)))));
        // Changing any single row of w+ changes the image (row 2b + 1 is block b's toRGB, the others its convolutions).
        var other = g.Map(Z(g, 12));
        for (int k = 0; k < g.StyleCount; k++)
        {
            var wplus = w.unsqueeze(1).repeat(1, g.StyleCount, 1);
            wplus[.., k] = other;
            Assert.False(GradCheck.Same(fromW, g.Synthesize(wplus, noise)), $"row {k} unused");
        }
    }

    [Fact]
    public void TruncationAndTheMeanLatentWorkAsInStyleGan()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 13);
        using var _ = no_grad();
        var mean = g.ComputeMeanLatent(128, new Generator(14));
        var w = g.Map(Z(g, 15));
        var noise = g.MakeNoise(2, new Generator(16));
        Assert.True(GradCheck.Same(g.Synthesize(mean.expand(2, -1), noise), g.Synthesize(g.Truncate(w, 0.0), noise)));
        Assert.True(allclose(g.Truncate(w, 0.5), (w + mean) / 2, rtol: 1e-5, atol: 1e-6));
        Assert.Equal("meanLatent", Assert.Single(g.named_buffers()).name);
    }

    [Fact]
    public void PaddingHooksAreExactWhenZeroAndCarryGradients()
    {
        using var scope = NewDisposeScope();
        var g = NewGenerator(Tiny(), 17);
        var w = g.Map(Z(g, 18)).detach();
        var noise = g.MakeNoise(2, new Generator(19));
        Tensor plain;
        using (no_grad()) plain = g.Synthesize(w, noise);
        var pads = g.PaddingHooks.Select(h =>
            zeros(2, h.Channels, h.LastInputSize.Height + 2 * h.Padding, h.LastInputSize.Width + 2 * h.Padding).requires_grad_(true)).ToList();
        for (int i = 0; i < pads.Count; i++) g.PaddingHooks[i].ExternalPadding = pads[i];
        var hooked = g.Synthesize(w, noise);
        Assert.True(allclose(plain, hooked.detach(), atol: 1e-6));
        hooked.square().sum().backward();
        foreach (var p in pads) Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        foreach (var h in g.PaddingHooks) h.ExternalPadding = null;
    }

    [Fact]
    public void ArchitectureRebuildsBothNetworksFromACheckpoint()
    {
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("stylegan2");
        var arch = GanArchitecture.Default("stylegan2", new ImageShape(3, 16, 16), AdversarialLoss.NonSaturating, width: 16, latent: 8);
        Assert.Equal("stylegan2", arch.Arch);
        Assert.True(arch.AllConvolutionsChannelPadded);
        var config = StyleGanModels.ReadConfig(arch.Config);
        Assert.Equal(new[] { 16, 16, 8 }, new[] { 4, 8, 16 }.Select(config.Width)); // the cap holds up to 8 px
        manual_seed(20);
        var g = Assert.IsType<StyleGan2Generator>(arch.CreateGenerator());
        var d = Assert.IsType<StyleGanDiscriminator>(arch.CreateDiscriminator());
        Assert.True(d.Residual);
        string path = dir.Combine("ckpt");
        using (var writer = new CheckpointWriter(path, "gan", 3, CheckpointWriter.ToJson(new { }), CheckpointWriter.ToJson(arch)))
        {
            writer.AddModule("generator", g.Module);
            writer.AddModule("discriminator", d.Module);
            writer.Commit();
        }
        var reader = CheckpointReader.Open(path);
        var g2 = arch.CreateGenerator();
        var d2 = arch.CreateDiscriminator();
        reader.LoadModule("generator", g2.Module);
        reader.LoadModule("discriminator", d2.Module);
        using var _ = no_grad();
        var z = Z(g, 21);
        var noise = ((IStyleGenerator)g).MakeNoise(2, new Generator(22));
        var x = g.Generate(z, noise: noise);
        Assert.True(GradCheck.Same(x, g2.Generate(z, noise: noise)));
        Assert.True(GradCheck.Same(d.Score(x), d2.Score(x)));
    }
}
