using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.PadInv;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Tests.IO;
using GanSharp.Tests.Nn;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

// The padding hook itself (zero coefficients = zero padding exactly; non-zero values change only border-dependent
// outputs; gradients reach the padding) is tested in tests/GanSharp.Tests/Nn/PaddedConv2dTests.cs.
public class PadInvTests
{
    [Fact]
    public void PaddingBorderFillsOnlyTheBorderAndHasCorrectGradients()
    {
        using var scope = NewDisposeScope();
        var coefficients = randn(new long[] { 2, 3, 4, 5 }, dtype: float64, generator: new Generator(1)).requires_grad_(true); // [N, R, 4, L]
        var mixing = randn(new long[] { 6, 3 }, dtype: float64, generator: new Generator(2)).requires_grad_(true);              // [C, R]
        var border = PaddingBorder.Build(coefficients, mixing, side: 10, padding: 2);
        Assert.Equal(new long[] { 2, 6, 10, 10 }, border.shape);
        Assert.Equal(0.0, border[.., .., 2..8, 2..8].abs().max().item<double>());
        using (no_grad())
        {
            // The top strip's end points are the first and last control points of side 0 mixed by the matrix.
            var topLeft = matmul(mixing, coefficients[.., .., 0, 0].t()).t();    // [N, C]
            var topRight = matmul(mixing, coefficients[.., .., 0, ^1].t()).t();  // [N, C]
            Assert.True(border[.., .., 0, 0].allclose(topLeft) && border[.., .., 1, 0].allclose(topLeft));
            Assert.True(border[.., .., 0, ^1].allclose(topRight));
            Assert.False(border[.., .., 2, 0].allclose(border[.., .., 1, 0])); // below the top strip: the left side's values
        }
        double error = GradCheck.MaxError(() => PaddingBorder.Build(coefficients, mixing, 10, 2), new[] { coefficients, mixing });
        Assert.True(error < 1e-6, $"gradient error {error}");
    }

    [Fact]
    public void EncoderOutputsHaveTheArchitecturesShapesAndStartAtZeroPadding()
    {
        using var scope = NewDisposeScope();
        var g = InversionTestModels.StyleGan(61, resolution: 32);
        var arch = PadInvArchitecture.For(g, LatentSpace.WPlus, new PadInvOptions(Rank: 2, SidePoints: 3, Width: 4), "tiny");
        Assert.Equal(4, arch.Layers.Count);
        Assert.Equal(Enumerable.Range(g.PaddingHooks.Count - 4, 4), arch.Layers.Select(l => l.Hook));
        Assert.Equal(new[] { 18, 18, 34, 34 }, arch.Layers.Select(l => l.Side)); // 16 px and 32 px blocks, padding 1
        var e = new PadInvEncoder(arch, 62);
        var x = GeneratedDataset.Images(g, 3, 63);
        var outputs = e.call(x);
        Assert.Equal(new long[] { 3, g.StyleCount * 8 + 4 * 2 * 4 * 3 }, outputs.shape);
        var coefficients = e.Coefficients(outputs);
        Assert.All(coefficients, c => Assert.Equal(new long[] { 3, 2, 4, 3 }, c.shape));
        var padding = e.Padding(coefficients);
        for (int i = 0; i < 4; i++) Assert.Equal(new long[] { 3, arch.Layers[i].Channels, arch.Layers[i].Side, arch.Layers[i].Side }, padding[i].shape);
        using var _ = no_grad();
        var noise = g.MakeNoise(3, new Generator(64));
        var (code, images) = PadInvInversion.Reconstruct(g, e, x, noise);
        Assert.Equal(new long[] { 3, g.StyleCount, 8 }, code.shape);
        Assert.True(images.eq(g.Synthesize(code, noise)).all().item<bool>(), "zero mixing matrices leave zero padding");
        Assert.All(g.PaddingHooks, h => Assert.Null(h.ExternalPadding));
    }

    [Fact]
    public void DcganIsRefusedWithAClearMessage()
    {
        var e = Assert.Throws<GanSharpException>(() => PadInvArchitecture.For(InversionTestModels.Dcgan(65), LatentSpace.W, new PadInvOptions(), "tiny"));
        Assert.Contains("StyleGAN", e.Message);
    }

    [Fact]
    public void ATinyTrainingRunLowersTheLossAndBlendingStartsAtTheReconstruction()
    {
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("padinv");
        var g = InversionTestModels.StyleGan(66, resolution: 32);
        var d = new StyleGanDiscriminator(new StyleGanConfig(Resolution: 32, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 8));
        InversionTestModels.Redraw(d, 67);
        var data = new GeneratedDataset(GeneratedDataset.Images(g, 16, 68));
        var options = new PadInvOptions(Rank: 2, SidePoints: 3, Width: 4, LearningRate: 3e-3);
        var arch = PadInvArchitecture.For(g, LatentSpace.WPlus, options, "tiny");
        using var method = new PadInvMethod(g, d, arch, options, null, CPU, seed: 69);
        var training = new TrainingOptions(Steps: 30, BatchSize: 8, Seed: 5, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 0, SampleCount: 2, Prefetch: 0);
        var trainer = new Trainer(method, data, training, CPU);
        TrainingResult result;
        using (var run = RunFolder.Create(dir.Combine("runs"), method.Name, "test", trainer.ResolvedConfig(), tensorBoard: false))
        {
            result = trainer.Run(run);
            var pixel = StatsLog.Read(run.StatsPath).Where(s => s.Event == null).OrderBy(s => s.Step).Select(s => s.Scalars["pixel"]).ToArray();
            double first = pixel.Take(5).Average(), last = pixel.TakeLast(5).Average();
            Assert.True(last < 0.8 * first, $"pixel loss {first:0.0000} → {last:0.0000}");
        }
        var e = PadInvInversion.Load(result.LastCheckpoint!, CPU);
        var x = GeneratedDataset.Images(g, 2, 70);
        var inverted = PadInvInversion.Invert(g, e, x, seed: 3);
        Assert.Equal(4, inverted.Coefficients.Count);
        var blend = PadInvInversion.Blend(g, e, x[..1], x[1..2], new[] { 0.0, 0.25, 1.0 }, seed: 3);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, blend.shape);
        Assert.True(blend[..1].allclose(inverted.Reconstructions[..1], 1e-5, 1e-5), "t = 0 is A's reconstruction");
        // t > 0: A's code rendered with (1 − t)·p_A + t·p_B, the same noise (the blend's seed) for every t.
        var noise = GanInversion.MakeNoise(g, 1, new Generator(3), CPU, optimise: false);
        foreach (var (t, row) in new[] { (0.25, 1), (1.0, 2) })
        {
            var mixed = inverted.Coefficients.Select(c => (1 - t) * c[..1] + t * c[1..2]).ToList();
            var expected = PadInvInversion.Render(g, e, inverted.Codes[..1], mixed, noise.Count > 0 ? noise : null);
            Assert.True(blend[row..(row + 1)].allclose(expected, 1e-5, 1e-5), $"t = {t}: A's code with the mixed padding");
        }
        Assert.True((blend[2] - blend[0]).abs().max().item<float>() > 1e-4, "B's padding changes A's image");
        Assert.All(g.PaddingHooks, h => Assert.Null(h.ExternalPadding));
    }
}
