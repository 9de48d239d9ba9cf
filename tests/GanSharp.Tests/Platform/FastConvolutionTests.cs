using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Nn;
using GanSharp.Platform;
using GanSharp.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Platform;

/// <summary>The fast convolution path: channel padding is the same function, and the end-to-end check accepts and rejects.</summary>
[Collection(GlobalTorchStateCollection.Name)]
public class FastConvolutionTests
{
    public FastConvolutionTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(24, 3, 3, 1, 1)]
    [InlineData(3, 1, 1, 1, 0)]
    [InlineData(129, 16, 3, 1, 1)]
    [InlineData(8, 24, 4, 2, 1)]
    public void ChannelPaddedConvolutionIsTheSameFunctionWithTheSameGradients(int cin, int cout, int k, int stride, int pad)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var x = randn(new long[] { 2, cin, 7, 7 }, dtype: float64, generator: gen).requires_grad_(true);
        var w = (randn(new long[] { cout, cin, k, k }, dtype: float64, generator: gen) * 0.2).requires_grad_(true);
        var b = randn(new long[] { cout }, dtype: float64, generator: gen).requires_grad_(true);
        var plain = F.conv2d(x, w, b, strides: new long[] { stride, stride }, padding: new long[] { pad, pad });
        var padded = ConvOps.ChannelPadded(x, w, b, stride, pad);
        Assert.Equal(plain.shape, padded.shape);
        Assert.True(padded.allclose(plain, rtol: 1e-12, atol: 1e-12));
        var r = randn(plain.shape, dtype: float64, generator: gen);
        var g1 = autograd.grad(new[] { (plain * r).sum() }, new[] { x, w, b });
        var g2 = autograd.grad(new[] { (padded * r).sum() }, new[] { x, w, b });
        for (int i = 0; i < 3; i++) Assert.True(g2[i].allclose(g1[i], rtol: 1e-12, atol: 1e-12));
        // float64 finite differences on the padded form itself
        Assert.True(GradCheck.MaxError(() => ConvOps.ChannelPadded(x, w, b, stride, pad), new[] { x, w, b }, maxPerTensor: 12) < 1e-6);
    }

    [Fact]
    public void ChannelPaddingOnlyActsOnTheFastPathInFloat32()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(6);
        var x = randn(new long[] { 2, 24, 6, 6 }, generator: gen);
        var w = randn(new long[] { 3, 24, 3, 3 }, generator: gen) * 0.1;
        try
        {
            ConvOps.ChannelPadding = true; // oneDNN stays as the start-up check left it: the padded form must agree with F.conv2d
            var padded = ConvOps.Conv2d(x, w, null, padding: 1);
            ConvOps.ChannelPadding = false;
            var plain = ConvOps.Conv2d(x, w, null, padding: 1);
            Assert.True(padded.allclose(plain, rtol: 1e-4, atol: 1e-5));
        }
        finally { ConvOps.ChannelPadding = false; }
    }

    /// <summary>
    /// The decision on every machine: an injected failing comparison (a wrong kernel's error) or a check that throws
    /// leaves the safe path in place with oneDNN off, even where the start-up probes had kept it on; an injected passing
    /// one switches the fast path on, and it switches back.
    /// </summary>
    [Fact]
    public void TheDecisionRejectsAFailingCheckAndAcceptsAPassingOneOnAnyMachine()
    {
        var report = TorchRuntime.EnsureInitialized();
        try
        {
            double? error = TorchRuntime.DecideFastConvolutions(() => new NumericsComparison(0.3, 1e-6, "injected wrong kernel: generator output"), "test wrong");
            Assert.Equal(0.3, error);
            Assert.False(TorchRuntime.FastConvolutions);
            Assert.False(ConvOps.ChannelPadding);
            if (report.MkldnnSwitchAvailable) Assert.False(LibTorchSwitches.MkldnnEnabled);   // off, also where the probes kept it on
            Assert.Equal(report.MkldnnEnabled && report.MkldnnSwitchAvailable, TorchRuntime.OneDnnVetoed);
            error = TorchRuntime.DecideFastConvolutions(() => throw new InvalidOperationException("injected failure"), "test throws");
            Assert.True(double.IsPositiveInfinity(error!.Value));
            Assert.False(TorchRuntime.FastConvolutions);

            error = TorchRuntime.DecideFastConvolutions(() => new NumericsComparison(2e-6, 1e-6, "injected right kernel"), "test right");
            Assert.Equal(2e-6, error);
            Assert.True(TorchRuntime.FastConvolutions);
            Assert.True(ConvOps.ChannelPadding);
            if (report.MkldnnSwitchAvailable) Assert.True(LibTorchSwitches.MkldnnEnabled);
        }
        finally { TorchRuntime.RestoreStartupDecision(); }
        Assert.False(TorchRuntime.FastConvolutions);
        Assert.False(ConvOps.ChannelPadding);
        Assert.Equal(report.MkldnnEnabled, LibTorchSwitches.MkldnnEnabled);
    }

    /// <summary>
    /// A rejection is remembered per CPU model, libtorch version and network: the second decision on that network does
    /// not run the check again (its verify would throw) and rejects again; a pass is checked again at the next decision
    /// (oneDNN's errors vary from run to run); a check that threw is not remembered; an unreadable cache counts as empty.
    /// </summary>
    [Fact]
    public void RejectionsAreRememberedPerCpuAndNetworkAndPassesAreCheckedAgain()
    {
        var folder = Directory.CreateTempSubdirectory("gansharp-verdicts-").FullName;
        var cache = new NumericsVerdictCache(Path.Combine(folder, "numerics-verdicts.json"));
        static NumericsComparison NotAgain() => throw new InvalidOperationException("the check ran again");
        try
        {
            int calls = 0;
            for (int i = 0; i < 2; i++)
            {
                TorchRuntime.RestoreStartupDecision();
                Assert.Equal(2e-5, TorchRuntime.DecideFastConvolutions(() => { calls++; return new NumericsComparison(2e-5, 1e-6, "ok"); }, "net A", (cache, "A batch 4")));
                Assert.True(TorchRuntime.FastConvolutions);
            }
            Assert.Equal(2, calls);
            Assert.Null(cache.Get(NumericsVerdictCache.Key("A batch 4")));

            TorchRuntime.RestoreStartupDecision();
            TorchRuntime.DecideFastConvolutions(() => new NumericsComparison(0.2, 1e-6, "D input 0 gradient"), "net B", (cache, "B batch 4"));
            Assert.Contains(NumericsVerdictCache.CpuModel(), File.ReadAllText(cache.Path));
            TorchRuntime.RestoreStartupDecision();
            Assert.Equal(0.2, TorchRuntime.DecideFastConvolutions(NotAgain, "net B", (cache, "B batch 4")));
            Assert.False(TorchRuntime.FastConvolutions);
            TorchRuntime.RestoreStartupDecision();
            Assert.Equal(2e-5, TorchRuntime.DecideFastConvolutions(() => new NumericsComparison(2e-5, 1e-6, "ok"), "net B at another batch", (cache, "B batch 8")));

            TorchRuntime.RestoreStartupDecision();
            Assert.True(double.IsPositiveInfinity(TorchRuntime.DecideFastConvolutions(NotAgain, "net C", (cache, "C batch 4"))!.Value));
            Assert.Null(cache.Get(NumericsVerdictCache.Key("C batch 4")));   // an exception is not a verdict

            File.WriteAllText(cache.Path, "{ not json");
            Assert.Null(cache.Get(NumericsVerdictCache.Key("B batch 4")));
        }
        finally
        {
            TorchRuntime.RestoreStartupDecision();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The check of networks that do not use the padded form (DCGAN) where the probes kept oneDNN on: a pass changes
    /// no switch, a rejection switches oneDNN off; where the probes switched oneDNN off nothing is checked.
    /// </summary>
    [Fact]
    public void VerifyingOneDnnChangesNothingOnAPassAndSwitchesItOffOnARejection()
    {
        var report = TorchRuntime.EnsureInitialized();
        try
        {
            var pass = TorchRuntime.VerifyOneDnn(() => new NumericsComparison(2e-5, 1e-6, "ok"), "test pass");
            if (!report.MkldnnEnabled || !report.MkldnnSwitchAvailable) { Assert.Null(pass); return; }
            Assert.Equal(2e-5, pass);
            Assert.False(TorchRuntime.FastConvolutions);
            Assert.False(ConvOps.ChannelPadding);
            Assert.True(LibTorchSwitches.MkldnnEnabled);
            Assert.Equal(0.3, TorchRuntime.VerifyOneDnn(() => new NumericsComparison(0.3, 1e-6, "G blocks.0.conv weight gradient"), "test reject"));
            Assert.False(LibTorchSwitches.MkldnnEnabled);
            Assert.True(TorchRuntime.OneDnnVetoed);
        }
        finally { TorchRuntime.RestoreStartupDecision(); }
    }

    /// <summary><c>--conv safe</c>'s switch: oneDNN off for the process even where the start-up probes kept it on.</summary>
    [Fact]
    public void TheSafePathSwitchesOneDnnOff()
    {
        var report = TorchRuntime.EnsureInitialized();
        try
        {
            TorchRuntime.UseSafePath("test");
            Assert.False(TorchRuntime.FastConvolutions);
            if (report.MkldnnSwitchAvailable) Assert.False(LibTorchSwitches.MkldnnEnabled);
            Assert.Null(TorchRuntime.TryFastConvolutions(() => throw new InvalidOperationException("not tried after the veto"), "after safe"));
        }
        finally { TorchRuntime.RestoreStartupDecision(); }
        Assert.Equal(report.MkldnnEnabled, LibTorchSwitches.MkldnnEnabled);
    }

    [OneDnnWrongFact]
    public void FastPathIsRejectedWhereOneDnnIsWrongAndTheSafePathRestored()
    {
        var report = TorchRuntime.EnsureInitialized();
        manual_seed(3);
        // DCGAN width 24: its transposed convolutions and 24-channel layers are outside the class oneDNN gets right.
        var arch = GanArchitecture.Default("dcgan", new ImageShape(3, 32, 32), AdversarialLoss.NonSaturating, 24, 16);
        double? error = TorchRuntime.TryFastConvolutions(() => arch.NumericsError(8, CPU), "test dcgan w24");
        Assert.NotNull(error);
        Assert.True(error > ModelNumerics.Bound, $"error {error}");
        Assert.False(TorchRuntime.FastConvolutions);
        Assert.False(LibTorchSwitches.MkldnnEnabled);
        Assert.False(ConvOps.ChannelPadding);
    }

    [OneDnnWrongFact]
    public void FastPathIsKeptForAStyleGanAndSwitchedBack()
    {
        var report = TorchRuntime.EnsureInitialized();
        manual_seed(1);
        var arch = GanArchitecture.Default("stylegan", new ImageShape(3, 16, 16), AdversarialLoss.NonSaturating, 32, 16);
        try
        {
            double? error = TorchRuntime.TryFastConvolutions(() => arch.NumericsError(4, CPU), "test stylegan");
            Assert.NotNull(error);
            Assert.True(TorchRuntime.FastConvolutions, $"error {error}");
            Assert.True(LibTorchSwitches.MkldnnEnabled);
            Assert.True(ConvOps.ChannelPadding);
            Assert.Null(TorchRuntime.TryFastConvolutions(() => throw new InvalidOperationException("not called again"), "again"));
        }
        finally { TorchRuntime.UseSafeConvolutions(); }
        Assert.False(TorchRuntime.FastConvolutions);
        Assert.Equal(report.MkldnnEnabled, LibTorchSwitches.MkldnnEnabled);
        Assert.False(ConvOps.ChannelPadding);
    }

    /// <summary>
    /// The acceptance rule is one fixed norm-wise bound per tensor: a safe path that is itself as far off earns no
    /// credit (the former rule allowed 10× the safe path's error, which admitted errors near 1 on ill-conditioned
    /// tensors), and NaN or Inf always fails.
    /// </summary>
    [Fact]
    public void ComparisonAppliesOneFixedNormWiseBound()
    {
        Assert.Equal(1e-3, ModelNumerics.Bound);
        Assert.True(new NumericsComparison(9e-4, 3e-5, "x").Passed);
        Assert.False(new NumericsComparison(1.1e-3, 1e-7, "y").Passed);
        Assert.False(new NumericsComparison(2e-2, 2e-2, "safe path as far off").Passed);
        Assert.False(new NumericsComparison(double.NaN, 0, "nan").Passed);
        Assert.False(new NumericsComparison(double.PositiveInfinity, 0, "inf").Passed);
        Assert.Equal("y", ModelNumerics.Worst(new NumericsComparison(9e-4, 3e-5, "x"), new NumericsComparison(1.1e-3, 1e-7, "y")).Where);
    }

    /// <summary>
    /// Only tensors float32 can verify (safe path within 1e-4) are evidence: an ill-conditioned tensor that both paths get
    /// wrong does not reject; a NaN anywhere does; a check with no verifiable tensor rejects and says why.
    /// </summary>
    [Fact]
    public void TheVerdictCountsOnlyVerifiableTensorsButAnyNaN()
    {
        var clean = new TensorNumerics("D conv.weight gradient", 2e-5, 1e-6, 3e-5, 2e-6);
        var illConditioned = new TensorNumerics("D input 0 gradient", 5e-2, 2e-2, 9e-2, 4e-2);   // the safe path is as far off
        Assert.False(illConditioned.Verifiable);
        var verdict = ModelNumerics.Verdict(new[] { clean, illConditioned });
        Assert.True(verdict.Passed, verdict.ToString());
        Assert.Equal("D conv.weight gradient", verdict.Where);
        var wrong = clean with { Where = "G toRgb.weight gradient", Fast = 4e-3 };
        Assert.Equal("G toRgb.weight gradient", ModelNumerics.Verdict(new[] { clean, illConditioned, wrong }).Where);
        Assert.False(ModelNumerics.Verdict(new[] { clean, illConditioned with { Fast = double.PositiveInfinity } }).Passed);
        var none = ModelNumerics.Verdict(new[] { illConditioned });
        Assert.False(none.Passed);
        Assert.Contains("1 of 1 tensors unverifiable", none.Where);
    }

    /// <summary>‖a − ref‖ / ‖ref‖ against hand-computed values, next to the max-wise measure it replaced.</summary>
    [Fact]
    public void NormWiseErrorEqualsItsHandComputedValue()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new double[] { 3, 4, 0, 0 });                  // ‖ref‖ = 5, max |ref| = 4
        var a = tensor(new float[] { 3, 4.5f, 0, 0 });
        Assert.Equal(0.5 / 5, ModelNumerics.NormRelativeError(a, reference), 12);
        Assert.Equal(0.5 / 4, ModelNumerics.RelativeError(a, reference), 12);
        // One element off by 1 in a tensor of 10,000 ones: max-wise 1, norm-wise 1/100.
        var flat = ones(10000, dtype: float64);
        var one = flat.clone(); one[17] = tensor(2.0);
        Assert.Equal(0.01, ModelNumerics.NormRelativeError(one, flat), 12);
        Assert.Equal(1.0, ModelNumerics.RelativeError(one, flat), 12);
        Assert.True(double.IsPositiveInfinity(ModelNumerics.NormRelativeError(tensor(new[] { 1.0, double.NaN }), tensor(new[] { 1.0, 1.0 }))));
        Assert.True(double.IsPositiveInfinity(ModelNumerics.NormRelativeError(tensor(new[] { 1.0 }), tensor(new[] { 1.0, 1.0 }))));
        Assert.Equal(0, ModelNumerics.NormRelativeError(zeros(3), zeros(3, dtype: float64)));
    }

    /// <summary>
    /// A wrong kernel in every fast-path convolution (injected, so this runs on every CPU): a gradient off by ±1e-3 by
    /// column, the smallest fault of the numerics-separation table, makes the whole acceptance check of a StyleGAN
    /// fail and the decision keep the safe path; the same networks without the fault pass and switch the fast path on.
    /// </summary>
    [Theory]
    [InlineData("stylegan")]
    [InlineData("stylegan2")]
    public void AWrongKernelInEveryConvolutionIsRejectedOnAnyMachine(string archName)
    {
        var arch = GanArchitecture.Default(archName, new ImageShape(3, 16, 16), AdversarialLoss.NonSaturating, 32, 16);
        try
        {
            ConvOps.Fault = ConvOps.ColumnFault(1e-3);
            manual_seed(21);
            var wrong = arch.NumericsError(4, CPU);
            Assert.False(wrong.Passed, wrong.ToString());
            Assert.InRange(wrong.Error, ModelNumerics.Bound, 1);
            TorchRuntime.DecideFastConvolutions(() => { manual_seed(21); return arch.NumericsError(4, CPU); }, "test injected wrong kernel");
            Assert.False(TorchRuntime.FastConvolutions);
            Assert.False(ConvOps.ChannelPadding);

            ConvOps.Fault = null;
            manual_seed(21);
            var right = arch.NumericsError(4, CPU);
            Assert.True(right.Passed, right.ToString());
            Assert.True(right.Error < ModelNumerics.Bound / 10, right.ToString());
            TorchRuntime.DecideFastConvolutions(() => { manual_seed(21); return arch.NumericsError(4, CPU); }, "test clean");
            Assert.True(TorchRuntime.FastConvolutions);
        }
        finally
        {
            ConvOps.Fault = null;
            TorchRuntime.RestoreStartupDecision();
        }
    }

    /// <summary>A 16 px StyleGAN discriminator of width 16 initialised from <paramref name="seed"/> and its float64 twin (same weights).</summary>
    static (GanSharp.Methods.Synthesis.StyleGan.StyleGanDiscriminator D, GanSharp.Methods.Synthesis.StyleGan.StyleGanDiscriminator D64) TinyDiscriminatorAndTwin(long seed)
    {
        var config = new GanSharp.Methods.Synthesis.StyleGan.StyleGanConfig(Resolution: 16, Channels: 3, LatentSize: 12, StyleSize: 10,
            MappingLayers: 2, ChannelBase: 128, MaxChannels: 16);
        manual_seed(seed);
        var d = new GanSharp.Methods.Synthesis.StyleGan.StyleGanDiscriminator(config);
        var d64 = new GanSharp.Methods.Synthesis.StyleGan.StyleGanDiscriminator(config);
        d64.load_state_dict(d.state_dict());
        d64.to(float64);
        return (d, d64);
    }

    /// <summary>
    /// A fast path whose kernel puts a column-structured relative error of 4.3e-3 into a StyleGAN discriminator's input
    /// gradient (the size the emoji StyleGAN's check let through; a conv kernel's errors follow its blocked width loop)
    /// must be rejected by the end-to-end check, and the same networks without the fault accepted.
    /// </summary>
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(4.3e-3, false)]
    public void EndToEndCheckRejectsASmallColumnStructuredInputGradientError(double fault, bool accepted)
    {
        using var scope = NewDisposeScope();
        var (d, d64) = TinyDiscriminatorAndTwin(11);
        // On the fast path only: the value is x, the gradient is scaled by 1 + fault·(±1 by column).
        Tensor Faulty(Tensor x) => ConvOps.ChannelPadding && fault != 0 ? ConvOps.ColumnFault(fault)(x) : x;
        var gen = new Generator(12);
        var x = rand(new long[] { 4, 3, 16, 16 }, dtype: float64, generator: gen) * 2 - 1;
        var result = ModelNumerics.Compare(d, xs => d.Score(Faulty(xs[0])), d64, xs => d64.Score(xs[0]), new[] { x }, gen);
        Assert.True(result.Passed == accepted, $"{result}, allowed {result.Allowed}");
        if (!accepted)
        {
            Assert.Equal("input 0 gradient", result.Where);
            Assert.InRange(result.Error, 0.5 * fault, 2 * fault); // the old bound (1e-2) would have let it through
        }
    }

    /// <summary>
    /// A fault that only the second-order pass sees: x + f·c·(x − x̄)², whose value and first derivative are exact, but
    /// whose second derivative is off by 2·f·c (c = ±1 by column). The first-order check must accept it and the
    /// penalty check (a double backward, as R1 and WGAN-GP train) must reject it.
    /// </summary>
    [Fact]
    public void ThePenaltyCheckCatchesAFaultOnlyTheDoubleBackwardSees()
    {
        using var scope = NewDisposeScope();
        var (d, d64) = TinyDiscriminatorAndTwin(13);
        var columns = (arange(16, float32) % 2 * 2 - 1).reshape(1, 1, 1, 16);
        Tensor Faulty(Tensor x) => ConvOps.ChannelPadding ? x + 0.05 * columns * (x - x.detach()).square() : x;
        var gen = new Generator(14);
        var x = rand(new long[] { 4, 3, 16, 16 }, dtype: float64, generator: gen) * 2 - 1;
        var first = ModelNumerics.Compare(d, xs => d.Score(Faulty(xs[0])), d64, xs => d64.Score(xs[0]), new[] { x }, new Generator(15));
        Assert.True(first.Passed, $"first order: {first}");
        var second = ModelNumerics.Compare(d, xs => ModelNumerics.InputGradientNorm(t => d.Score(Faulty(t)), xs[0]),
            d64, xs => ModelNumerics.InputGradientNorm(d64.Score, xs[0]), new[] { x }, new Generator(15));
        Assert.False(second.Passed, $"second order: {second}");
        // Without the fault the penalty check passes (safe and fast path agree with float64 through the double backward).
        var clean = ModelNumerics.PenaltyError(d, d64, 4, new Generator(16));
        Assert.True(clean.Passed, clean.ToString());
    }

    /// <summary>
    /// The whole acceptance check (G, D and D's penalty double backward) runs on every architecture GanSharp ships and
    /// names where it is worst; with the channel-padded convolutions, which compute the same function, it passes.
    /// </summary>
    [Theory]
    [InlineData("dcgan", AdversarialLoss.WganGp)]
    [InlineData("stylegan", AdversarialLoss.NonSaturating)]
    [InlineData("stylegan2", AdversarialLoss.NonSaturating)]
    public void TheAcceptanceCheckCoversEveryShippedArchitectureIncludingThePenaltyPass(string archName, AdversarialLoss loss)
    {
        manual_seed(5);
        var arch = GanArchitecture.Default(archName, archName == "dcgan" ? new ImageShape(1, 28, 28) : new ImageShape(3, 16, 16), loss, 16, 16);
        var result = arch.NumericsError(2, CPU);
        Assert.True(double.IsFinite(result.Error), result.ToString());
        Assert.Matches("^(G|D|D penalty \\(double backward\\)) ", result.Where);
        if (TorchRuntime.EnsureInitialized().MkldnnEnabled) Assert.True(result.Passed, $"{archName}: {result}, allowed {result.Allowed}");
    }
}

/// <summary>A fact about the real fast path where oneDNN is wrong (it is switched off at start-up); skipped elsewhere with the reason.</summary>
public sealed class OneDnnWrongFactAttribute : FactAttribute
{
    /// <summary>Skips where the start-up check kept oneDNN on, or where it cannot be switched.</summary>
    public OneDnnWrongFactAttribute()
    {
        var report = TorchRuntime.EnsureInitialized();
        if (report.MkldnnEnabled || !report.MkldnnSwitchAvailable)
            Skip = "oneDNN is correct (or cannot be switched) on this CPU, so there is no wrong kernel to reject; the decision itself is tested with injected comparisons";
    }
}
