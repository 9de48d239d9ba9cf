using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Nn;
using GanSharp.Platform;
using GanSharp.Tests.Data;
using GanSharp.Tests.IO;
using GanSharp.Tests.Nn;
using GanSharp.Tests.Platform;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Training;

/// <summary>The training-time numerics canary: a drifting convolution path is caught, the run continues on the safe path from the last checkpoint.</summary>
[Collection(GlobalTorchStateCollection.Name)]
public class NumericsCanaryTests
{
    /// <summary>A toy GAN whose canary fails at one step (an injected verdict, so this runs on every CPU).</summary>
    sealed class CanaryToy(long failAt) : INumericsCanary, ITrainingMethod
    {
        readonly ToyGan inner = new(1);
        public List<long> Checked { get; } = new();
        long step;
        public NumericsComparison? CheckNumerics(int batch)
        {
            Checked.Add(step);
            return step == failAt ? new NumericsComparison(0.05, 1e-6, "D input 0 gradient") : new NumericsComparison(1e-5, 1e-6, "ok");
        }
        public string Name => inner.Name;
        public object Options => inner.Options;
        public object Architecture => inner.Architecture;
        public IReadOnlyDictionary<string, TorchSharp.torch.nn.Module> Networks => inner.Networks;
        public IReadOnlyDictionary<string, TorchSharp.Modules.OptimizerHelper> Optimizers => inner.Optimizers;
        public IReadOnlyDictionary<string, double> TrainStep(GanSharp.Data.Batch batch, StepContext ctx) { step = ctx.Step + 1; return inner.TrainStep(batch, ctx); }
        public Tensor Sample(Tensor fixedInputs) => inner.Sample(fixedInputs);
        public Tensor FixedSampleInputs(int count, Generator rng, Device device) => inner.FixedSampleInputs(count, rng, device);
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void AFailingCanarySwitchesToTheSafePathAndContinuesFromTheLastCheckpoint()
    {
        var report = TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("canary");
        var lines = new List<string>();
        var previous = GanSharp.Diagnostics.Log.SetSink(l => { lock (lines) lines.Add(l); });
        try
        {
            // The fast path in use (injected verdict): oneDNN on, so the canary is due.
            TorchRuntime.DecideFastConvolutions(() => new NumericsComparison(1e-5, 1e-6, "injected"), "canary test");
            using var method = new CanaryToy(failAt: 5);
            var options = new TrainingOptions(Steps: 8, BatchSize: 8, Seed: 3, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 3, KeepCheckpoints: 0,
                SampleCount: 4, Prefetch: 1, CanaryEvery: 5);
            var trainer = new Trainer(method, new SyntheticDataset(64, channels: 1, size: 4), options, CPU);
            using var run = RunFolder.Create(dir.Path, method.Name, "test", trainer.ResolvedConfig(), tensorBoard: false);
            var result = trainer.Run(run);
            Assert.True(result.Completed);
            Assert.Equal(8, result.Step);
            if (report.MkldnnSwitchAvailable)
            {
                Assert.Equal(new long[] { 5 }, method.Checked);                       // after the switch no canary is due (oneDNN off)
                Assert.True(TorchRuntime.OneDnnVetoed);
                Assert.False(LibTorchSwitches.MkldnnEnabled);
                Assert.False(TorchRuntime.FastConvolutions);
                Assert.Contains(lines, l => l.Contains("numerics canary at step 5: D input 0 gradient off by 5.0e-2") && l.Contains("from step 3"));
                var stats = StatsLog.Read(run.StatsPath);
                Assert.Contains(stats, s => s.Event != null && s.Step == 3);            // the resume marker of the rollback
            }
        }
        finally
        {
            GanSharp.Diagnostics.Log.SetSink(previous);
            TorchRuntime.RestoreStartupDecision();
        }
    }

    [Fact]
    public void NoCanaryRunsWhenOneDnnIsOffOrTheCanaryIsOff()
    {
        using var dir = new ScratchFolder("canary");
        try
        {
            foreach (var (every, safe) in new[] { (2, true), (0, false) })
            {
                TorchRuntime.RestoreStartupDecision();
                if (safe) TorchRuntime.UseSafePath("test");
                using var method = new CanaryToy(failAt: 2);
                var options = new TrainingOptions(Steps: 4, BatchSize: 8, Seed: 3, SampleEvery: 0, CheckpointEvery: 0, SampleCount: 4, Prefetch: 1, CanaryEvery: every);
                var trainer = new Trainer(method, new SyntheticDataset(64, channels: 1, size: 4), options, CPU);
                using var run = RunFolder.Create(dir.Path, method.Name, "test", trainer.ResolvedConfig(), tensorBoard: false);
                Assert.True(trainer.Run(run).Completed);
                if (safe || LibTorchSwitches.IsAvailable) Assert.Empty(method.Checked);
            }
        }
        finally { TorchRuntime.RestoreStartupDecision(); }
    }

    /// <summary>The GAN method's canary runs the float64 check on copies of its trained networks: a wrong kernel injected in every fast-path convolution fails it, the clean networks pass, and the networks are not changed.</summary>
    [Fact]
    public void TheGanCanaryCatchesAWrongKernelOnTheCurrentNetworks()
    {
        manual_seed(31);
        var arch = GanArchitecture.Default("stylegan2", new ImageShape(3, 16, 16), AdversarialLoss.NonSaturating, 32, 16);
        using var method = arch.CreateMethod(new GanOptions(AdversarialLoss.NonSaturating).Validate(), CPU);
        var before = method.Discriminator.Module.parameters().First().clone();
        try
        {
            var clean = method.CheckNumerics(4);
            Assert.NotNull(clean);
            Assert.True(clean!.Passed, clean.ToString());
            ConvOps.Fault = ConvOps.ColumnFault(1e-2);
            var wrong = method.CheckNumerics(4);
            Assert.False(wrong!.Passed, wrong.ToString());
        }
        finally { ConvOps.Fault = null; }
        Assert.True(method.Discriminator.Module.parameters().First().allclose(before, rtol: 0, atol: 0));
    }
}
