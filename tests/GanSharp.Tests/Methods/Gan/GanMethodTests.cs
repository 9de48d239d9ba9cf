using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using GanSharp.Tests.Losses;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Gan;

public class GanMethodTests
{
    /// <summary>32 gray 28x28 images: a bright square on black, jittered, so a tiny GAN has something to learn.</summary>
    sealed class Squares : IImageDataset
    {
        public string Name => "squares";
        public int Count => 32;
        public int Channels => 1;
        public int Height => 28;
        public int Width => 28;
        public IReadOnlyList<string> ClassNames => Array.Empty<string>();
        public void CopyPixels(int index, Span<float> destination)
        {
            destination[..784].Fill(-1f);
            int o = 6 + index % 8;
            for (int y = o; y < o + 10; y++) for (int x = o; x < o + 10; x++) destination[y * 28 + x] = 1f;
        }
        public int LabelOf(int index) => -1;
        public string IdOf(int index) => "#" + index;
    }

    static GanMethod Tiny(AdversarialLoss loss, GanOptions? options = null)
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(3);
        var arch = GanArchitecture.Default("dcgan", new ImageShape(1, 28, 28), loss, width: 8, latent: 16);
        return arch.CreateMethod((options ?? new GanOptions()) with { Loss = loss }, CPU);
    }

    static Batch BatchOf(int step)
    {
        var loader = new DataLoader(new Squares(), new DataLoaderOptions(BatchSize: 8, Seed: (ulong)step, Prefetch: 0));
        return loader.Next();
    }

    [Theory]
    [MemberData(nameof(AdversarialLossTests.Every), MemberType = typeof(AdversarialLossTests))]
    public void EveryLossTrainsAFewStepsWithFiniteScalars(AdversarialLoss loss)
    {
        using var method = Tiny(loss);
        using var rng = new TorchSharp.torch.Generator(1);
        var ctx = new StepContext(CPU, rng);
        var resolved = (GanOptions)method.Options;
        IReadOnlyDictionary<string, double> s = new Dictionary<string, double>();
        for (int step = 0; step < resolved.CriticSteps!.Value + 1; step++)
        {
            using var scope = NewDisposeScope();
            ctx.Step = step;
            using var batch = BatchOf(step);
            s = method.TrainStep(batch, ctx);
        }
        Assert.All(s.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Contains("g_loss", s.Keys);
        if (loss == AdversarialLoss.WganGp) Assert.Contains("gp", s.Keys);
        if (loss is AdversarialLoss.Wgan or AdversarialLoss.WganGp) Assert.Contains("wasserstein", s.Keys);
        if (loss == AdversarialLoss.Wgan)
            Assert.All(method.Discriminator.Module.parameters(), p => Assert.True(p.abs().max().item<float>() <= 0.01f + 1e-7f));
    }

    /// <summary>
    /// With the generator held still, a few critic updates must score the real images above the fakes, for every loss:
    /// a critic whose loss has real and fake swapped learns the opposite order and fails here.
    /// </summary>
    [Theory]
    [MemberData(nameof(AdversarialLossTests.Every), MemberType = typeof(AdversarialLossTests))]
    public void TheCriticLearnsToScoreRealAboveFakeForEveryLoss(AdversarialLoss loss)
    {
        using var method = Tiny(loss, new GanOptions(CriticSteps: 1000));
        using var rng = new TorchSharp.torch.Generator(4);
        var ctx = new StepContext(CPU, rng);
        IReadOnlyDictionary<string, double> s = new Dictionary<string, double>();
        for (int step = 0; step < 12; step++)
        {
            using var scope = NewDisposeScope();
            ctx.Step = step;
            using var batch = BatchOf(step);
            s = method.TrainStep(batch, ctx);
        }
        Assert.True(s["d_real"] > s["d_fake"], $"{loss}: after 12 critic steps d_real {s["d_real"]} ≤ d_fake {s["d_fake"]}");
    }

    /// <summary>
    /// The gradient penalty reaches the critic's update, linearly in its weight: the critic's gradient with λ = 10 differs
    /// from the one with λ = 0 by exactly 10× the difference that λ = 1 makes (same weights, data and random draws). A
    /// penalty computed and logged but not added to the loss leaves all three gradients equal. The three methods get the
    /// first one's weights copied in (seeding the global stream alone would race with tests running in parallel).
    /// </summary>
    [Fact]
    public void TheGradientPenaltyEntersTheCriticsGradientInProportionToItsWeight()
    {
        using var reference = Tiny(AdversarialLoss.WganGp, new GanOptions(CriticSteps: 5, LearningRate: 1e-12));
        Tensor CriticGradient(double weight)
        {
            using var method = Tiny(AdversarialLoss.WganGp, new GanOptions(CriticSteps: 5, GradientPenaltyWeight: weight, LearningRate: 1e-12));
            method.Generator.Module.load_state_dict(reference.Generator.Module.state_dict());
            method.Discriminator.Module.load_state_dict(reference.Discriminator.Module.state_dict());
            using var rng = new TorchSharp.torch.Generator(7);
            var ctx = new StepContext(CPU, rng) { Step = 0 }; // step 0 of 5: no generator update touches the critic's gradients
            using var batch = BatchOf(0);
            method.TrainStep(batch, ctx);
            return cat(method.Discriminator.Module.parameters().Select(p => p.grad!.detach().flatten().to(float64)).ToArray()).clone();
        }
        var g0 = CriticGradient(0);
        var g1 = CriticGradient(1);
        var g10 = CriticGradient(10);
        double effect = (g1 - g0).norm().item<double>();
        Assert.True(effect > 1e-3 * g0.norm().item<double>(), $"λ = 1 changed the critic's gradient by only {effect}");
        double misfit = ((g10 - g0) - 10 * (g1 - g0)).norm().item<double>();
        Assert.True(misfit < 1e-3 * 10 * effect, $"the penalty's share is not linear in λ: misfit {misfit} vs {10 * effect}");
    }

    [Fact]
    public void GeneratorMovesOnlyEveryCriticStepsAndTheEmaFollows()
    {
        using var method = Tiny(AdversarialLoss.WganGp, new GanOptions(CriticSteps: 3, EmaBeta: 0.5));
        using var rng = new TorchSharp.torch.Generator(2);
        var ctx = new StepContext(CPU, rng);
        Tensor Snapshot() => cat(method.Generator.Module.parameters().Select(p => p.detach().flatten()).ToArray()).clone();
        var before = Snapshot();
        for (int step = 0; step < 3; step++)
        {
            ctx.Step = step;
            using var batch = BatchOf(step);
            var s = method.TrainStep(batch, ctx);
            var now = Snapshot();
            if (step < 2)
            {
                Assert.True(now.eq(before).all().item<bool>(), $"generator changed at step {step}");
                Assert.DoesNotContain("g_loss", s.Keys);
            }
            else Assert.False(now.eq(before).all().item<bool>(), "generator did not change at step 2");
        }
        var ema = cat(method.GeneratorEma.Module.parameters().Select(p => p.detach().flatten()).ToArray());
        var g = Snapshot();
        // First EMA update: β ramped up to min(0.5, 1/10) = 0.1.
        Assert.True((0.1 * before + 0.9 * g - ema).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void OptionsResolveToThePaperDefaults()
    {
        var wgan = new GanOptions(AdversarialLoss.Wgan).Validate();
        Assert.Equal((5, OptimizerKind.RmsProp, 5e-5, 0.01), (wgan.CriticSteps!.Value, wgan.Optimizer!.Value, wgan.LearningRate!.Value, wgan.ClipValue!.Value));
        var gp = new GanOptions(AdversarialLoss.WganGp).Validate();
        Assert.Equal((5, 1e-4, 0.0, 0.9, 10.0), (gp.CriticSteps!.Value, gp.LearningRate!.Value, gp.Beta1!.Value, gp.Beta2!.Value, gp.GradientPenaltyWeight!.Value));
        var ns = new GanOptions().Validate();
        Assert.Equal((1, 2e-4, 0.5), (ns.CriticSteps!.Value, ns.LearningRate!.Value, ns.Beta1!.Value));
        Assert.Throws<GanSharpException>(() => new GanOptions(LearningRate: -1).Validate());
        Assert.Throws<GanSharpException>(() => new GanOptions(EmaBeta: 1).Validate());
        Assert.Throws<GanSharpException>(() => GanArchitecture.Default("biggan", new ImageShape(1, 28, 28), AdversarialLoss.Hinge));
    }

    [Fact]
    public void TrainedCheckpointSamplesDeterministicallyForASeed()
    {
        using var dir = new ScratchFolder("gan");
        using var method = Tiny(AdversarialLoss.NonSaturating);
        var trainer = new Trainer(method, new Squares(), new TrainingOptions(Steps: 4, BatchSize: 8, SampleEvery: 0, CheckpointEvery: 0, SampleCount: 4, Prefetch: 0), CPU);
        TrainingResult result;
        using (var run = RunFolder.Create(dir.Path, "gan", "test", trainer.ResolvedConfig(), tensorBoard: false))
            result = trainer.Run(run);
        Assert.True(result.Completed);
        Assert.True(File.Exists(Path.Combine(result.RunFolder, "samples", "fakes-000000004.png")));
        var g1 = GanCheckpoint.LoadGenerator(result.LastCheckpoint!);
        var g2 = GanCheckpoint.LoadGenerator(result.RunFolder);
        Tensor Draw(IGenerator g)
        {
            using var rng = new TorchSharp.torch.Generator(42);
            using var _ = no_grad();
            return g.Generate(g.SampleLatents(4, rng));
        }
        Assert.True(Draw(g1).eq(Draw(g2)).all().item<bool>());
        Assert.True(Draw(g1).eq(Draw(g1)).all().item<bool>());
        // The EMA generator saved is the method's EMA generator.
        using var rng3 = new TorchSharp.torch.Generator(42);
        method.GeneratorEma.Module.eval();
        using (no_grad())
            Assert.True(method.GeneratorEma.Generate(method.GeneratorEma.SampleLatents(4, rng3)).eq(Draw(g1)).all().item<bool>());
    }
}

public class StyleGanTrainingTests
{
    sealed class Blobs : IImageDataset
    {
        public string Name => "blobs";
        public int Count => 16;
        public int Channels => 3;
        public int Height => 8;
        public int Width => 8;
        public IReadOnlyList<string> ClassNames => Array.Empty<string>();
        public void CopyPixels(int index, Span<float> destination)
        {
            for (int i = 0; i < 192; i++) destination[i] = ((i + index) % 7) / 3f - 1f;
        }
        public int LabelOf(int index) => -1;
        public string IdOf(int index) => "#" + index;
    }

    static GanMethod Tiny(string archName, GanSharp.Nn.DiffAugmentPolicy augment, bool adaptive = false, bool pathLength = false)
    {
        TorchRuntime.EnsureInitialized();
        var arch = GanArchitecture.Default(archName, new ImageShape(3, 8, 8), AdversarialLoss.NonSaturating, width: 16, latent: 8);
        // Adaptive p: from 0.5, moving by 4 steps · 4 images / 32 = 0.5 at each adjustment (every 4 steps).
        var options = new GanOptions(R1Gamma: 1, R1Interval: 2, Augment: augment, AugmentProbability: adaptive ? 0.5 : 1, AdaptiveAugment: adaptive, AugmentSpeedImages: 32,
            PathLengthWeight: pathLength ? 2 : 0, PathLengthInterval: 2);
        var method = arch.CreateMethod(options, CPU);
        // Same weights in every run whatever other tests do with torch's global generator meanwhile.
        using var init = new TorchSharp.torch.Generator(9);
        using (no_grad())
            foreach (var m in new[] { method.Generator.Module, method.Discriminator.Module })
                foreach (var p in m.parameters()) p.copy_(randn(p.shape, generator: init) * 0.2);
        GanSharp.Training.Ema.CopyInto(method.Generator.Module, method.GeneratorEma.Module);
        return method;
    }

    [Theory]
    [InlineData("stylegan", GanSharp.Nn.DiffAugmentPolicy.None)]
    [InlineData("stylegan2", GanSharp.Nn.DiffAugmentPolicy.All)]
    [InlineData("stylegan2", GanSharp.Nn.DiffAugmentPolicy.All, true)]
    [InlineData("stylegan2", GanSharp.Nn.DiffAugmentPolicy.None, false, true)]
    public void StyleGanTrainsWithMixingR1AndExactResume(string archName, GanSharp.Nn.DiffAugmentPolicy augment, bool adaptive = false, bool pathLength = false)
    {
        using var dir = new ScratchFolder("stylegan");
        var o = new TrainingOptions(Steps: 4, BatchSize: 4, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 2, KeepCheckpoints: 0, SampleCount: 4, Prefetch: 0);
        IReadOnlyList<StatsRecord> Run(string root, long steps, string? resume)
        {
            using var method = Tiny(archName, augment, adaptive, pathLength);
            var trainer = new Trainer(method, new Blobs(), o with { Steps = steps }, CPU);
            using var run = resume == null ? RunFolder.Create(root, "gan", "s", trainer.ResolvedConfig(), tensorBoard: false)
                : RunFolder.Open(Directory.GetDirectories(root).Single(), tensorBoard: false);
            var before = ((GanSharp.Models.IGenerator)method.Generator).MeanLatent.clone();
            var result = trainer.Run(run, resume);
            Assert.True(result.Completed);
            if (resume == null) Assert.False(method.Generator.MeanLatent.eq(before).all().item<bool>(), "mean latent not tracked");
            return StatsLog.Read(run.StatsPath);
        }
        var full = Run(dir.Combine("a"), 4, null);
        Assert.Contains(full, s => s.Scalars.ContainsKey("r1"));
        Assert.All(full.Where(s => s.Event == null), s => Assert.True(double.IsFinite(s.Scalars["d_loss"])));
        Run(dir.Combine("b"), 2, null);
        var resumed = Run(dir.Combine("b"), 4, Path.Combine(Directory.GetDirectories(dir.Combine("b")).Single(), "checkpoints", "step-000000002"));
        double[] Tail(IReadOnlyList<StatsRecord> s) => s.Where(r => r.Event == null && r.Step > 2).OrderBy(r => r.Step).Select(r => r.Scalars["d_loss"]).ToArray();
        Assert.Equal(Tail(full), Tail(resumed));
        if (adaptive)
        {
            // The checkpoint at step 2 is mid-interval: p moves after the 4th step only if the two observed steps were restored.
            double[] P(IReadOnlyList<StatsRecord> s) => s.Where(r => r.Event == null).OrderBy(r => r.Step).Select(r => r.Scalars["augment_p"]).ToArray();
            Assert.Equal(new[] { 0.5, 0.5, 0.5 }, P(full)[..3]);
            Assert.NotEqual(0.5, P(full)[3]);
            Assert.Equal(P(full)[2..], P(resumed).TakeLast(2).ToArray());
        }
        if (pathLength)
        {
            // Lazy every 2 generator steps: steps 0 and 2 (logged as 1 and 3, the steps done). The running mean at step 2 continues from the checkpoint's.
            static (long Step, double Mean)[] Pl(IReadOnlyList<StatsRecord> s) =>
                s.Where(r => r.Event == null && r.Scalars.ContainsKey("pl_mean")).OrderBy(r => r.Step).Select(r => (r.Step, r.Scalars["pl_mean"])).ToArray();
            Assert.Equal(new long[] { 1, 3 }, Pl(full).Select(x => x.Step));
            Assert.All(Pl(full), x => Assert.True(x.Mean > 0));
            Assert.Equal(Pl(full)[1], Pl(resumed).Last());
        }
        else Assert.DoesNotContain(full, s => s.Scalars.ContainsKey("pl_penalty"));
    }

    [Fact]
    public void PathLengthRegularisationIsRefusedForAGeneratorWithoutStyles()
    {
        TorchRuntime.EnsureInitialized();
        var arch = GanArchitecture.Default("dcgan", new ImageShape(1, 28, 28), AdversarialLoss.NonSaturating, width: 4, latent: 4);
        var e = Assert.Throws<GanSharpException>(() => arch.CreateMethod(new GanOptions(PathLengthWeight: 2), CPU));
        Assert.Contains("path length", e.Message);
        Assert.Throws<GanSharpException>(() => new GanOptions(PathLengthWeight: -1).Validate());
        Assert.Throws<GanSharpException>(() => new GanOptions(PathLengthWeight: 2, PathLengthInterval: 0).Validate());
    }

    [Fact]
    public void StyleGanSampleGridsKeepTheirNoiseInputsFixed()
    {
        // A training run's grids reuse their latents; with StyleGAN's per-layer noise drawn afresh from torch's global
        // stream, two grids of the same weights differed in texture. The noise is now drawn once, with the latents.
        using var method = Tiny("stylegan2", GanSharp.Nn.DiffAugmentPolicy.None);
        using var rng = new TorchSharp.torch.Generator(5);
        using var fixedInputs = method.FixedSampleInputs(4, rng, CPU);
        using var first = method.Sample(fixedInputs);
        randn(1000).Dispose(); // moves the global stream
        using var second = method.Sample(fixedInputs);
        Assert.Equal(0.0, (first - second).abs().max().item<float>());
        // The noise inputs do reach the images: other noise gives other images.
        using var other = method.GeneratorEma.Generate(fixedInputs, noise: method.GeneratorEma.SampleNoise(4, rng));
        Assert.True((first - other).abs().max().item<float>() > 1e-4f);
    }
}
