using GanSharp.Data;
using GanSharp.Platform;
using GanSharp.Tests.Data;
using GanSharp.Tests.IO;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Training;

/// <summary>A tiny GAN on 1x4x4 images that uses the step's random stream, so resume exactness is observable.</summary>
sealed class ToyGan : ITrainingMethod
{
    readonly Linear g, d;
    readonly OptimizerHelper optG, optD;

    public ToyGan(long initSeed)
    {
        g = nn.Linear(4, 16);
        d = nn.Linear(16, 1);
        // Initialise from a private stream: tests run in parallel and share torch's global generator.
        using (var init = new Generator((ulong)initSeed))
        using (no_grad())
            foreach (var p in g.parameters().Concat(d.parameters()))
                p.copy_(randn(p.shape, generator: init) * 0.3);
        optG = optim.Adam(g.parameters(), lr: 0.01, beta1: 0.5);
        optD = optim.Adam(d.parameters(), lr: 0.01, beta1: 0.5);
    }

    public long? NanAtStep { get; set; }
    public double NanValue { get; set; } = double.NaN;
    public int NanInjected { get; private set; }
    public string Name => "toy";
    public object Options => new { lr = 0.01 };
    public object Architecture => new { z = 4 };
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["g"] = g, ["d"] = d };
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["g"] = optG, ["d"] = optD };

    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var real = batch.Images.flatten(1); // [N, 16]
        var z = randn(new long[] { real.shape[0], 4 }, generator: ctx.Rng);
        optD.zero_grad();
        var fake = g.call(z).tanh();
        var dLoss = F.softplus(-d.call(real)).mean() + F.softplus(d.call(fake.detach())).mean();
        dLoss.backward();
        optD.step();
        optG.zero_grad();
        var gLoss = F.softplus(-d.call(g.call(z).tanh())).mean();
        gLoss.backward();
        optG.step();
        double dl = dLoss.item<float>();
        if (NanAtStep == ctx.Step && NanInjected == 0) { NanInjected++; dl = NanValue; }
        return new Dictionary<string, double> { ["d_loss"] = dl, ["g_loss"] = gLoss.item<float>() };
    }

    public Tensor Sample(Tensor fixedInputs) => g.call(fixedInputs).tanh().reshape(-1, 1, 4, 4);
    public Tensor FixedSampleInputs(int count, Generator rng, Device device) => randn(new long[] { count, 4 }, generator: rng, device: device);
    public void Dispose() { g.Dispose(); d.Dispose(); }
}

public class TrainerTests
{
    static readonly SyntheticDataset Data = new(64, channels: 1, size: 4);

    static TrainingOptions Opts(long steps) => new(Steps: steps, BatchSize: 8, Seed: 3, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 3, KeepCheckpoints: 0, SampleCount: 4, Prefetch: 1);

    static (TrainingResult Result, IReadOnlyList<StatsRecord> Stats) Train(string root, ToyGan method, TrainingOptions o, string? resume = null, RunFolder? run = null, CancellationToken cancel = default, IProgress<TrainingProgress>? progress = null)
    {
        TorchRuntime.EnsureInitialized();
        var trainer = new Trainer(method, Data, o, CPU);
        run ??= RunFolder.Create(root, method.Name, "test", trainer.ResolvedConfig(), tensorBoard: false);
        using (run)
        {
            var result = trainer.Run(run, resume, progress, cancel);
            return (result, StatsLog.Read(run.StatsPath));
        }
    }

    static double[] Losses(IReadOnlyList<StatsRecord> stats, long from, long to) =>
        stats.Where(s => s.Event == null && s.Step >= from && s.Step <= to).OrderBy(s => s.Step)
            .SelectMany(s => new[] { s.Scalars["d_loss"], s.Scalars["g_loss"] }).ToArray();

    [Fact]
    public void ResumeGivesTheSameNextStepLossesAsAnUninterruptedRun()
    {
        using var dir = new ScratchFolder("trainer");
        var (full, fullStats) = Train(dir.Combine("a"), new ToyGan(11), Opts(7));
        Assert.True(full.Completed);
        Assert.Equal(Path.Combine(full.RunFolder, RunFolder.LossCurvesFileName), full.LossCurves); // every method's run ends with its curves
        Assert.True(new FileInfo(full.LossCurves!).Length > 0);
        var (half, _) = Train(dir.Combine("b"), new ToyGan(11), Opts(3));
        Assert.Equal(3, half.Step);
        Assert.NotNull(half.LastCheckpoint);
        // A different initialisation: everything must come from the checkpoint.
        var (resumed, resumedStats) = Train(dir.Combine("b"), new ToyGan(999), Opts(7), resume: half.LastCheckpoint,
            run: RunFolder.Open(half.RunFolder, tensorBoard: false));
        Assert.True(resumed.Completed);
        var expected = Losses(fullStats, 4, 7);
        Assert.Equal(8, expected.Length);
        Assert.Equal(expected, Losses(resumedStats, 4, 7));
        Assert.Contains(resumedStats, s => s.Event == StatsLog.ResumeEvent);
    }

    /// <summary>
    /// A checkpoint at or past the run's total (trained on with a larger --steps, then resumed without it) trains nothing
    /// and says how to go on, instead of "finishing" silently.
    /// </summary>
    [Fact]
    public void ResumingPastTheTotalSaysSoAndTrainsNothing()
    {
        using var dir = new ScratchFolder("trainer");
        var (longer, _) = Train(dir.Path, new ToyGan(12), Opts(5));
        var lines = new List<string>();
        var previous = GanSharp.Diagnostics.Log.SetSink(l => { lock (lines) lines.Add(l); });
        try
        {
            var (again, _) = Train(dir.Path, new ToyGan(12), Opts(3), resume: longer.LastCheckpoint, run: RunFolder.Open(longer.RunFolder, tensorBoard: false));
            Assert.Equal(5, again.Step);
            Assert.Contains(lines, l => l.Contains("warning: the checkpoint is at step 5, at or past this run's 3 steps") && l.Contains("--steps"));
        }
        finally { GanSharp.Diagnostics.Log.SetSink(previous); }
    }

    [Fact]
    public void NanGuardStopsWithTheStepAndScalar()
    {
        using var dir = new ScratchFolder("trainer");
        var method = new ToyGan(1) { NanAtStep = 4 };
        var e = Assert.Throws<GanSharpException>(() => Train(dir.Path, method, Opts(8) with { Nan = NanPolicy.Stop }));
        Assert.Contains("step 5", e.Message);
        Assert.Contains("d_loss is NaN", e.Message);
    }

    [Fact]
    public void DivergenceGuardStopsOnAHugeFiniteLossAndCanBeTurnedOff()
    {
        using (var dir = new ScratchFolder("trainer"))
        {
            var method = new ToyGan(1) { NanAtStep = 4, NanValue = 3e18 };
            var e = Assert.Throws<GanSharpException>(() => Train(dir.Path, method, Opts(8) with { Nan = NanPolicy.Stop }));
            Assert.Contains("step 5", e.Message);
            Assert.Contains("d_loss is 3E+18", e.Message);
            Assert.Contains("diverged", e.Message);
        }
        using (var dir = new ScratchFolder("trainer"))
        {
            var method = new ToyGan(1) { NanAtStep = 4, NanValue = 3e18 };
            var (result, _) = Train(dir.Path, method, Opts(8) with { Nan = NanPolicy.Stop, DivergeAbove = 0 });
            Assert.True(result.Completed);
        }
        Assert.Throws<GanSharpException>(() => (Opts(8) with { DivergeAbove = -1 }).Validate());
    }

    [Fact]
    public void NanGuardRollsBackToTheLastCheckpointAndSaysSo()
    {
        using var dir = new ScratchFolder("trainer");
        var lines = new List<string>();
        var previous = GanSharp.Diagnostics.Log.SetSink(l => { lock (lines) lines.Add(l); });
        try
        {
            var method = new ToyGan(1) { NanAtStep = 4 };
            var (result, stats) = Train(dir.Path, method, Opts(8) with { Nan = NanPolicy.Rollback });
            Assert.True(result.Completed);
            Assert.Equal(1, result.Rollbacks);
            Assert.Equal(8, result.Step);
            Assert.Contains(lines, l => l.Contains("rolled back to step 3"));
            Assert.All(stats.Where(s => s.Event == null), s => Assert.True(double.IsFinite(s.Scalars["d_loss"])));
        }
        finally { GanSharp.Diagnostics.Log.SetSink(previous); }
    }

    [Fact]
    public void CancellationSavesACheckpointThatResumes()
    {
        using var dir = new ScratchFolder("trainer");
        using var cts = new CancellationTokenSource();
        var progress = new GanSharp.Diagnostics.SyncProgress<TrainingProgress>(p => { if (p.Step == 2) cts.Cancel(); });
        var (stopped, _) = Train(dir.Path, new ToyGan(5), Opts(6), cancel: cts.Token, progress: progress);
        Assert.False(stopped.Completed);
        Assert.Equal(2, stopped.Step);
        Assert.EndsWith("step-000000002", stopped.LastCheckpoint);
        var (resumed, _) = Train(dir.Path, new ToyGan(6), Opts(6), resume: stopped.LastCheckpoint, run: RunFolder.Open(stopped.RunFolder, tensorBoard: false));
        Assert.True(resumed.Completed);
        Assert.True(File.Exists(Path.Combine(stopped.RunFolder, "samples", "fakes-000000006.png")));
    }

    [Fact]
    public void ResumingAnotherMethodsCheckpointIsRefused()
    {
        using var dir = new ScratchFolder("trainer");
        var (half, _) = Train(dir.Path, new ToyGan(1), Opts(3));
        var other = new ToyGanNamed("other");
        TorchRuntime.EnsureInitialized();
        var trainer = new Trainer(other, Data, Opts(6), CPU);
        using var run = RunFolder.Open(half.RunFolder, tensorBoard: false);
        var e = Assert.Throws<GanSharpException>(() => trainer.Run(run, half.LastCheckpoint));
        Assert.Contains("'toy' checkpoint", e.Message);
    }

    sealed class ToyGanNamed(string name) : ITrainingMethod
    {
        readonly ToyGan inner = new(1);
        public string Name => name;
        public object Options => inner.Options;
        public object Architecture => inner.Architecture;
        public IReadOnlyDictionary<string, nn.Module> Networks => inner.Networks;
        public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => inner.Optimizers;
        public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext context) => inner.TrainStep(batch, context);
        public Tensor Sample(Tensor fixedInputs) => inner.Sample(fixedInputs);
        public Tensor FixedSampleInputs(int count, Generator rng, Device device) => inner.FixedSampleInputs(count, rng, device);
        public void Dispose() => inner.Dispose();
    }

    [Theory]
    [InlineData(LrSchedule.Constant, 0, 1.0)]
    [InlineData(LrSchedule.Constant, 99, 1.0)]
    [InlineData(LrSchedule.LinearDecay, 49, 1.0)]
    [InlineData(LrSchedule.LinearDecay, 75, 0.5)]
    [InlineData(LrSchedule.LinearDecay, 100, 0.0)]
    [InlineData(LrSchedule.Cosine, 0, 1.0)]
    [InlineData(LrSchedule.Cosine, 50, 0.5)]
    [InlineData(LrSchedule.Cosine, 100, 0.0)]
    public void LearningRateSchedules(LrSchedule schedule, long step, double expected)
    {
        var o = new TrainingOptions(Steps: 100, Schedule: schedule, DecayFraction: 0.5);
        Assert.Equal(expected, o.LrFactor(step), 9);
    }

    [Fact]
    public void EmaMovesTowardsTheSourceByOneMinusBeta()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var source = nn.Linear(2, 2);
        var target = nn.Linear(2, 2);
        using (no_grad())
        {
            foreach (var p in source.parameters()) p.fill_(1.0);
            foreach (var p in target.parameters()) p.fill_(0.0);
        }
        Ema.Update(source, target, 0.9);
        Assert.All(target.parameters(), p => Assert.Equal(0.1, p.max().item<float>(), 6));
        Ema.Update(source, target, 0.9);
        Assert.All(target.parameters(), p => Assert.Equal(0.19, p.min().item<float>(), 6));
        Ema.CopyInto(source, target);
        Assert.All(target.parameters(), p => Assert.Equal(1.0, p.min().item<float>(), 6));
    }

    [Fact]
    public void OptionsValidation()
    {
        Assert.Throws<GanSharpException>(() => new TrainingOptions(Steps: 0).Validate());
        Assert.Throws<GanSharpException>(() => new TrainingOptions(DecayFraction: 0).Validate());
        var e = Assert.Throws<GanSharpException>(() => new Trainer(new ToyGan(1), new SyntheticDataset(4), new TrainingOptions(BatchSize: 8), CPU));
        Assert.Contains("fewer than one batch", e.Message);
    }
}

/// <summary>The one set of learning-rate curves all trainers use.</summary>
public class LearningRateCurvesTests
{
    [Fact]
    public void CurvesHaveTheirHandComputedValues()
    {
        Assert.Equal(1.0, LearningRateCurves.Cosine(0), 12);
        Assert.Equal(0.5, LearningRateCurves.Cosine(0.5), 12);
        Assert.Equal(0.0, LearningRateCurves.Cosine(1.5), 12);               // clamped
        Assert.Equal(0.05, LearningRateCurves.Cosine(1, floor: 0.05), 12);   // the feature network decays to 5 %
        Assert.Equal(0.525, LearningRateCurves.Cosine(0.5, floor: 0.05), 12);
        Assert.Equal(1.0, LearningRateCurves.LinearDecay(49, 100, 0.5), 12);
        Assert.Equal(0.5, LearningRateCurves.LinearDecay(75, 100, 0.5), 12);
        Assert.Equal(0.0, LearningRateCurves.LinearDecay(120, 100, 0.5), 12);
        Assert.Equal(0.1, LearningRateCurves.StepDrop(0.7), 12);
        Assert.Equal(1.0, LearningRateCurves.StepDrop(0.6), 12);
        Assert.Equal(0.25, LearningRateCurves.WarmUp(0, 4), 12);
        Assert.Equal(1.0, LearningRateCurves.WarmUp(4, 4), 12);
        Assert.Equal(1.0, LearningRateCurves.WarmUp(0, 0), 12);
    }
}
