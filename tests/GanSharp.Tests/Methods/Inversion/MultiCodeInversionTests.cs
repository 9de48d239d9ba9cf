using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class MultiCodeInversionTests
{
    static IGenerator Make(string kind) => kind == "dcgan" ? InversionTestModels.Dcgan(61) : InversionTestModels.StyleGan(62);

    [Theory]
    [InlineData("dcgan", LatentSpace.Z)]
    [InlineData("stylegan", LatentSpace.W)]
    [InlineData("stylegan", LatentSpace.WPlus)]
    [InlineData("stylegan", LatentSpace.Z)]
    public void OneCodeWithUnitImportanceIsPlainSynthesisAtEveryLayer(string kind, LatentSpace space)
    {
        using var scope = NewDisposeScope();
        var g = Make(kind);
        using var _ = no_grad();
        var rng = new Generator(63);
        var codes = LatentCodes.RandomStart(g, space, 2, rng, CPU);                               // [2, ...]
        var noise = g.NoiseShapes.Select(s => randn(new long[] { 2 }.Concat(s).ToArray(), generator: rng)).ToList();
        var expected = LatentCodes.Render(g, space, codes, noise);
        for (int layer = 0; layer < g.LayerCount; layer++)
        {
            int c = MultiCodeInversion.LayerChannels(g, layer);
            var composed = MultiCodeInversion.Compose(g, space, layer, codes.unsqueeze(1), ones(2, 1, c), noise);
            Assert.True(composed.allclose(expected, rtol: 1e-5, atol: 1e-6), $"{kind} {space} layer {layer}: max diff {(composed - expected).abs().max().item<float>()}");
        }
    }

    /// <summary>
    /// N = 3 codes with random per-channel importances against the composition built by hand: every code's features at
    /// layer ℓ, weighted by its α and summed, then synthesised onward (with the first code's style for the later layers).
    /// A composition that ignored α or the codes after the first fails.
    /// </summary>
    [Theory]
    [InlineData("dcgan", LatentSpace.Z)]
    [InlineData("stylegan", LatentSpace.W)]
    [InlineData("stylegan", LatentSpace.WPlus)]
    public void ManyCodesAreWeightedByTheirImportancesAndSummed(string kind, LatentSpace space)
    {
        using var scope = NewDisposeScope();
        var g = Make(kind);
        using var _ = no_grad();
        var rng = new Generator(65);
        const int b = 2, n = 3;
        var codes = LatentCodes.RandomStart(g, space, b * n, rng, CPU);
        codes = codes.view(new long[] { b, n }.Concat(codes.shape.Skip(1)).ToArray());                    // [B, N, ...]
        var noise = g.NoiseShapes.Select(s => randn(new long[] { b }.Concat(s).ToArray(), generator: rng)).ToList();
        for (int layer = 0; layer < g.LayerCount; layer++)
        {
            int c = MultiCodeInversion.LayerChannels(g, layer);
            var alphas = rand(new long[] { b, n, c }, generator: rng);                                       // [B, N, C]
            Tensor? sum = null;
            for (int i = 0; i < n; i++)
            {
                var ws = LatentCodes.Styles(g, space, codes[.., i]);                                         // [B, ...]
                var term = g.FeaturesAt(layer, ws, noise) * alphas[.., i].unsqueeze(-1).unsqueeze(-1);       // [B, C, H, W]
                sum = sum is null ? term : sum + term;
            }
            var expected = g.SynthesizeFrom(layer, sum!, LatentCodes.Styles(g, space, codes[.., 0]), noise);
            var composed = MultiCodeInversion.Compose(g, space, layer, codes, alphas, noise);
            Assert.True(composed.allclose(expected, rtol: 1e-4, atol: 1e-5), $"{kind} {space} layer {layer}: max diff {(composed - expected).abs().max().item<float>()}");
            var firstOnly = g.SynthesizeFrom(layer, g.FeaturesAt(layer, LatentCodes.Styles(g, space, codes[.., 0]), noise), LatentCodes.Styles(g, space, codes[.., 0]), noise);
            Assert.True((composed - firstOnly).abs().max().item<float>() > 1e-3, $"{kind} {space} layer {layer}: the composition is the first code alone");
        }
    }

    [Theory]
    [InlineData("dcgan")]
    [InlineData("stylegan")]
    public void CompositionShapesAtEveryLayer(string kind)
    {
        using var scope = NewDisposeScope();
        var g = Make(kind);
        using var _ = no_grad();
        var codes = LatentCodes.RandomStart(g, LatentSpace.W, 6, new Generator(64), CPU).view(2, 3, -1); // [2, 3, S]
        for (int layer = 0; layer < g.LayerCount; layer++)
        {
            int c = MultiCodeInversion.LayerChannels(g, layer);
            if (g is DcganGenerator d) Assert.Equal(d.LayerShape(layer).Channels, c);
            Assert.Equal(g.Output.Batch(2), MultiCodeInversion.Compose(g, LatentSpace.W, layer, codes, rand(2, 3, c), null).shape);
            Assert.Throws<ArgumentException>(() => MultiCodeInversion.Compose(g, LatentSpace.W, layer, codes, rand(2, 3, c + 1), null));
        }
    }

    [Fact]
    public void JointOptimisationLowersTheLossAndReturnsCodesAndImportances()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.Dcgan(65);
        var target = InversionTestModels.Images(66, 2, 1, 28) * 0.5;
        var result = MultiCodeInversion.Invert(g, target, new InversionOptions(LatentSpace.Z, Steps: 25, LearningRate: 0.05, PerceptualWeight: 0, Seed: 3),
            new MultiCodeOptions(Codes: 4, Layer: 1));
        Assert.Equal(new long[] { 2, 4, 8 }, result.Codes.shape);
        Assert.Equal(new long[] { 2, 4, 8 }, result.Alphas.shape); // layer 1 of the tiny DCGAN has 8 channels
        Assert.Equal(1, result.Layer);
        Assert.Equal(target.shape, result.Reconstructions.shape);
        Assert.True(result.LossHistory[^1] < 0.7 * result.LossHistory[0], $"loss {result.LossHistory[0]} → {result.LossHistory[^1]}");
        // Deterministic for a seed.
        var again = MultiCodeInversion.Invert(g, target, new InversionOptions(LatentSpace.Z, Steps: 25, LearningRate: 0.05, PerceptualWeight: 0, Seed: 3),
            new MultiCodeOptions(Codes: 4, Layer: 1));
        Assert.True(again.Reconstructions.eq(result.Reconstructions).all().item<bool>());
        Assert.Throws<GanSharpException>(() => new MultiCodeOptions(Layer: 7).Validate(g));
        Assert.Throws<GanSharpException>(() => new MultiCodeOptions(Codes: 0).Validate(g));
    }
}
