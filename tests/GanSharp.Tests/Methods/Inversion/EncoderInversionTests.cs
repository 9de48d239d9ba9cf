using GanSharp.Data;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Models;
using GanSharp.Tests.IO;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class EncoderInversionTests
{
    [Fact]
    public void TrainingLowersTheLossAndTheCheckpointRebuildsTheSameEncoder()
    {
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("encoder");
        var g = InversionTestModels.Dcgan(81);
        var data = new GeneratedDataset(GeneratedDataset.Images(g, 32, 82));
        var arch = EncoderArchitecture.For(g, LatentSpace.W, width: 4, generator: "tiny");
        using var method = new EncoderMethod(g, arch, new EncoderOptions(LearningRate: 3e-3), null, CPU, seed: 83);
        var options = new TrainingOptions(Steps: 60, BatchSize: 8, Seed: 4, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 0, SampleCount: 4, Prefetch: 0);
        var trainer = new Trainer(method, data, options, CPU);
        TrainingResult result;
        using (var run = RunFolder.Create(dir.Combine("runs"), method.Name, "test", trainer.ResolvedConfig(), tensorBoard: false))
        {
            result = trainer.Run(run);
            var losses = StatsLog.Read(run.StatsPath).Where(s => s.Event == null).OrderBy(s => s.Step).Select(s => s.Scalars["e_loss"]).ToArray();
            double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
            Assert.True(last < 0.7 * first, $"e_loss {first:0.0000} → {last:0.0000}");
        }
        var opened = EncoderCheckpoint.Open(result.LastCheckpoint!, EncoderMethod.MethodName);
        var loaded = opened.Load(CPU);
        var x = GeneratedDataset.Images(g, 3, 84);
        Assert.True(EncoderInversion.Encode(g, opened.Architecture, loaded, x).allclose(EncoderInversion.Encode(g, arch, method.Encoder, x), 1e-6, 1e-6));
        Assert.Throws<GanSharpException>(() => opened.Architecture.CheckGenerator(InversionTestModels.Dcgan(85, latent: 6), "the encoder"));
    }

    /// <summary>
    /// Hybrid inversion starts at E(x): its loss before the first step equals the encoder inversion's loss (same objective,
    /// same noise maps), and optimisation does not end worse. A StyleGAN (noise inputs, w+) and a DCGAN (z).
    /// </summary>
    [Theory]
    [InlineData("stylegan", LatentSpace.WPlus)]
    [InlineData("dcgan", LatentSpace.Z)]
    public void HybridStartsFromTheEncoderCodeAndEndsNoWorse(string kind, LatentSpace space)
    {
        using var scope = NewDisposeScope();
        IGenerator g = kind == "stylegan" ? InversionTestModels.StyleGan(91, resolution: 32) : InversionTestModels.Dcgan(91);
        var arch = EncoderArchitecture.For(g, space, width: 4, generator: "tiny");
        var e = arch.CreateEncoder(92);
        var x = GeneratedDataset.Images(g, 3, 93);
        var options = new InversionOptions(space, Steps: 20, BatchSize: 2, PerceptualWeight: 0);
        var encoded = EncoderInversion.Invert(g, arch, e, x, options);
        Assert.Equal(new long[] { 3 }.Concat(arch.CodeShape), encoded.Codes.shape);
        var hybrid = EncoderInversion.Hybrid(g, arch, e, x, options);
        // History is the mean over images weighted by batch; 2 batches (2 + 1 images).
        Assert.Equal(encoded.Losses.mean().item<float>(), hybrid.LossHistory[0], 5);
        Assert.True(hybrid.Losses.mean().item<float>() <= encoded.Losses.mean().item<float>(), $"loss {encoded.Losses.mean().item<float>()} → {hybrid.Losses.mean().item<float>()}");
    }
}
