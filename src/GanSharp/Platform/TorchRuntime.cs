using GanSharp.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Platform;

/// <summary>Result of the start-up numerics self-check (see PLATFORM.md: oneDNN computes wrong convolutions on some CPUs).</summary>
/// <param name="MkldnnSwitchAvailable">Whether libtorch's oneDNN switch could be reached.</param>
/// <param name="MkldnnEnabled">Whether oneDNN is enabled after the check.</param>
/// <param name="ErrorWithMkldnn">Max abs error vs float64 of the probe convolutions with oneDNN on (NaN counts as infinite).</param>
/// <param name="ErrorAfter">Max abs error vs float64 with the setting finally chosen.</param>
/// <param name="Decision">One line explaining the choice.</param>
public sealed record NumericsReport(bool MkldnnSwitchAvailable, bool MkldnnEnabled, double ErrorWithMkldnn, double ErrorAfter, string Decision);

/// <summary>
/// Process-wide TorchSharp set-up: the numerics self-check, threads and device selection.
/// Every entry point that computes calls <see cref="EnsureInitialized"/> first (it is cheap after the first call).
/// </summary>
public static class TorchRuntime
{
    /// <summary>Errors above this, for values of order 1, mean a kernel is wrong rather than merely rounded.</summary>
    public const double Tolerance = 1e-3;

    static readonly object Gate = new();
    static NumericsReport? report;

    /// <summary>The self-check result, or null before <see cref="EnsureInitialized"/> ran.</summary>
    public static NumericsReport? Report => report;

    /// <summary>
    /// Runs the numerics self-check once per process: a tiny conv_transpose2d forward and conv2d input gradients
    /// (3 and 1 output channels) in float32 against float64. Where oneDNN is wrong it is switched off through
    /// libtorch's own switch and one log line says so. <c>GANSHARP_MKLDNN=on|off</c> overrides the decision.
    /// </summary>
    public static NumericsReport EnsureInitialized()
    {
        if (report != null) return report;
        lock (Gate)
        {
            if (report != null) return report;
            report = RunSelfCheck();
            if (!report.MkldnnEnabled || report.ErrorAfter > Tolerance) Log.Info(report.Decision);
            return report;
        }
    }

    static NumericsReport RunSelfCheck()
    {
        bool available = LibTorchSwitches.IsAvailable;
        string? forced = ForcedMkldnn;
        if (available)
        {
            LibTorchSwitches.MkldnnEnabled = true;
            // NNPACK only serves as a fallback for conv2d without oneDNN; on x86-64 it is not built for the CPU and
            // prints "Could not initialize NNPACK! Reason: Unsupported hardware" on every convolution. The fallback
            // libtorch takes then (im2col + GEMM) is the same one it uses after that failure.
            if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
                LibTorchSwitches.NnpackEnabled = false;
        }
        double before = ProbeError();
        if (!available)
            return new NumericsReport(false, true, before, before, before > Tolerance
                ? $"numerics check: convolution error {Fmt(before)} with oneDNN and libtorch's switch is unavailable; results may be wrong"
                : $"numerics check: convolution error {Fmt(before)}; oneDNN switch unavailable but not needed");
        if (forced == "on")
            return new NumericsReport(true, true, before, before, $"numerics check: oneDNN kept on by GANSHARP_MKLDNN=on (error {Fmt(before)})");
        if (forced == "off" || before > Tolerance)
        {
            LibTorchSwitches.MkldnnEnabled = false;
            double after = ProbeError();
            string why = forced == "off" ? "GANSHARP_MKLDNN=off" : $"oneDNN convolution error {Fmt(before)} > {Tolerance:g}";
            return new NumericsReport(true, false, before, after, $"numerics check: oneDNN disabled ({why}); error now {Fmt(after)}");
        }
        return new NumericsReport(true, true, before, before, $"numerics check: oneDNN correct here (error {Fmt(before)}); kept on");
    }

    /// <summary>The raw switches of the fast path (oneDNN and channel padding together), for the numerics comparison.</summary>
    internal static bool FastPathSwitches
    {
        get => Nn.ConvOps.ChannelPadding;
        set
        {
            LibTorchSwitches.MkldnnEnabled = value || ((report?.MkldnnEnabled ?? false) && !oneDnnVetoed);
            Nn.ConvOps.ChannelPadding = value;
        }
    }

    static bool oneDnnVetoed;

    /// <summary>
    /// Whether the safe path was chosen for the rest of the process: a model-level check found the networks wrong with
    /// oneDNN where the start-up probes had kept it on, or <c>--conv safe</c> asked for it. oneDNN is then off.
    /// </summary>
    public static bool OneDnnVetoed => oneDnnVetoed;

    /// <summary>The safe path for the rest of the process: oneDNN off (even where the start-up probes kept it on), no channel padding.</summary>
    public static void UseSafePath(string why)
    {
        var r = EnsureInitialized();
        lock (Gate)
        {
            FastConvolutions = false;
            if (r.MkldnnEnabled && r.MkldnnSwitchAvailable && !oneDnnVetoed) Log.Info($"convolutions: oneDNN switched off ({why})");
            oneDnnVetoed = true;
            if (r.MkldnnSwitchAvailable) FastPathSwitches = false;
        }
    }

    /// <summary>Back to the start-up decision (tests only): no veto, no fast path.</summary>
    internal static void RestoreStartupDecision()
    {
        lock (Gate)
        {
            oneDnnVetoed = false;
            FastConvolutions = false;
            FastPathSwitches = false;
        }
    }

    /// <summary>Whether the fast convolution path (oneDNN on, channel-padded convolutions) is in use.</summary>
    public static bool FastConvolutions { get; private set; }

    /// <summary>
    /// Tries the fast convolution path: oneDNN on with <see cref="Nn.ConvOps.ChannelPadding"/>, kept only when
    /// <paramref name="verify"/> (it compares the networks about to be used on both paths against float64 twins, see
    /// <see cref="ModelNumerics"/>) finds every verifiable tensor within <see cref="ModelNumerics.Bound"/>. It runs on
    /// every CPU, also where the start-up probes kept oneDNN on: they are tiny cases, and a network can still meet a
    /// wrong kernel there (measured: StyleGAN's discriminator on an AMD EPYC whose probes pass). A rejection where
    /// the probes had kept oneDNN on switches oneDNN off for the process. With <paramref name="cacheKey"/> (the network:
    /// architecture config and batch) a rejection is remembered per CPU model and libtorch version
    /// (<see cref="NumericsVerdictCache"/>), so a network found wrong once is not tried again on that CPU; a pass is
    /// checked again at the next start (oneDNN's errors vary from run to run). One log line says which
    /// path was chosen and why. Does nothing where oneDNN's switch is unavailable, with <c>GANSHARP_MKLDNN=on|off</c>,
    /// or when the path is already decided in this process.
    /// </summary>
    /// <returns>The error measured (or remembered) on the fast path, or null when it was not tried.</returns>
    public static double? TryFastConvolutions(Func<NumericsComparison> verify, string what, string? cacheKey = null)
    {
        if (PathDecided()) return null;
        return DecideFastConvolutions(verify, what, Remember(cacheKey));
    }

    /// <summary><c>GANSHARP_MKLDNN</c>, lower-cased (<c>on</c>, <c>off</c>), or null.</summary>
    static string? ForcedMkldnn => Environment.GetEnvironmentVariable("GANSHARP_MKLDNN")?.Trim().ToLowerInvariant();

    /// <summary>Whether no model-level check applies: oneDNN's switch is unavailable, forced by the environment, or the path is already decided in this process.</summary>
    static bool PathDecided() => !EnsureInitialized().MkldnnSwitchAvailable || ForcedMkldnn is "off" or "on" || FastConvolutions || oneDnnVetoed;

    static (NumericsVerdictCache?, string)? Remember(string? cacheKey) => cacheKey is null ? null : (NumericsVerdictCache.Default, cacheKey);

    /// <summary>
    /// Where the start-up probes kept oneDNN on, checks networks that do not use the channel-padded form (DCGAN's
    /// libtorch convolutions) the same way as <see cref="TryFastConvolutions"/> (remembered verdicts included), but a
    /// pass changes nothing (oneDNN stays on, no padding); a rejection switches oneDNN off for the process.
    /// </summary>
    /// <returns>The error measured (or remembered), or null when nothing was checked.</returns>
    public static double? VerifyOneDnn(Func<NumericsComparison> verify, string what, string? cacheKey = null)
    {
        if (PathDecided() || !EnsureInitialized().MkldnnEnabled) return null;
        return DecideFastConvolutions(verify, what, Remember(cacheKey), switchOn: false);
    }

    /// <summary>
    /// The decision of <see cref="TryFastConvolutions"/> once it applies: uses a remembered verdict or runs
    /// <paramref name="verify"/> (a failure or an exception rejects; an exception is not remembered) and switches the
    /// fast path on, or leaves the safe path in place (oneDNN off). Internal so that tests can inject a passing or
    /// failing comparison, and a cache, on any machine, including one where oneDNN is correct.
    /// </summary>
    internal static double? DecideFastConvolutions(Func<NumericsComparison> verify, string what, (NumericsVerdictCache? Cache, string Network)? remember = null,
        bool switchOn = true)
    {
        var r = EnsureInitialized();
        lock (Gate)
        {
            string? key = remember is { Cache: not null } m ? NumericsVerdictCache.Key(m.Network) : null;
            var cache = remember?.Cache;
            NumericsComparison result;
            string source = "";
            if (key != null && cache!.Get(key) is { } known)
            {
                result = known.Comparison;
                source = $" (verdict of {known.CheckedUtc:yyyy-MM-dd} on this CPU, {cache.Path})";
            }
            else
            {
                try
                {
                    result = verify();
                    // Only a rejection is remembered: oneDNN's errors vary from run to run (the same check of the
                    // stylegan-emoji preset passed at 9.8e-5 and failed at 1.4e-2 in two runs on one CPU), so a pass
                    // proves less than a failure and is checked again at the next start.
                    if (key != null && !result.Passed) cache!.Put(key, result);
                }
                catch (Exception e) when (e is not OutOfMemoryException) { result = new NumericsComparison(double.PositiveInfinity, 0, e.Message); }
            }
            string measured = $"{Fmt(result.Error)} (safe path {Fmt(result.Baseline)}, bound {Fmt(result.Allowed)}) at {result.Where}{source}";
            if (result.Passed && !switchOn)
                Log.Info($"convolutions: oneDNN verified on {what}: worst norm-wise error vs float64 {measured}");
            else if (result.Passed)
            {
                FastPathSwitches = true;
                FastConvolutions = true;
                Log.Info($"convolutions: fast path (oneDNN with channel padding) verified on {what}: worst norm-wise error vs float64 {measured}");
            }
            else
            {
                bool veto = r.MkldnnEnabled && !oneDnnVetoed;
                if (veto) oneDnnVetoed = true;
                FastPathSwitches = false;
                Log.Info($"convolutions: fast path rejected on {what}: norm-wise error vs float64 {measured}; using the safe path" +
                    (veto ? " (oneDNN switched off for this run, though the start-up probes had passed)" : ""));
            }
            return result.Error;
        }
    }

    /// <summary>Returns to the safe path (oneDNN off, no channel padding) after <see cref="TryFastConvolutions"/>.</summary>
    public static void UseSafeConvolutions()
    {
        EnsureInitialized();
        lock (Gate)
        {
            if (!FastConvolutions) return;
            FastPathSwitches = false;
            FastConvolutions = false;
        }
    }

    static string Fmt(double e) => double.IsPositiveInfinity(e) ? "NaN/Inf" : e.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Max abs error vs float64 over the probes that PLATFORM.md found wrong: conv_transpose2d forward with 3 input
    /// channels, and conv2d input gradients with 3 and 1 output channels; and the relative error of the weight-gradient
    /// probes (<see cref="WeightGradientProbes"/>). NaN or Inf gives +∞.
    /// </summary>
    public static double ProbeError()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gen = new Generator(1234);
        double worst = 0;
        // conv_transpose2d 3 -> 16 channels, forward
        {
            var x = randn(new long[] { 2, 3, 6, 6 }, dtype: float64, generator: gen);
            var w = randn(new long[] { 3, 16, 4, 4 }, dtype: float64, generator: gen) * 0.2;
            var r = F.conv_transpose2d(x, w, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
            var f = F.conv_transpose2d(x.to(float32), w.to(float32), strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
            worst = Math.Max(worst, MaxAbs(f, r));
        }
        foreach (var (cin, cout) in new[] { (16, 3), (32, 1) })
            worst = Math.Max(worst, ConvInputGradError(gen, cin, cout));
        foreach (var (_, error) in WeightGradientProbes()) worst = Math.Max(worst, error);
        return worst;
    }

    /// <summary>
    /// The weight-gradient probes: relative error (max |a − ref| / max |ref|) vs float64 of conv2d's weight and bias
    /// gradients (16 → 16 channels, 3×3, at 16×16, batch 4, and 3 → 16 channels, 1×1) and conv_transpose2d's weight
    /// gradient (128 → 64 channels, 4×4 stride 2, at 7×7: DCGAN-28's layer whose dW oneDNN got wrong). NaN or Inf gives +∞.
    /// </summary>
    public static IReadOnlyList<(string Name, double Error)> WeightGradientProbes()
    {
        var gen = new Generator(4321);
        var list = new List<(string, double)>();
        foreach (var (cin, cout, k, pad, size) in new[] { (16, 16, 3, 1, 16), (3, 16, 1, 0, 16) })
        {
            var (dw, db) = WeightGradError(gen, cin, cout, k, pad, size, transposed: false);
            list.Add(($"conv2d {cin}→{cout} {k}×{k} weight gradient", dw));
            list.Add(($"conv2d {cin}→{cout} {k}×{k} bias gradient", db));
        }
        list.Add(("conv_transpose2d 128→64 4×4/2 weight gradient", WeightGradError(gen, 128, 64, 4, 1, 7, transposed: true).Weight));
        return list;
    }

    static (double Weight, double Bias) WeightGradError(Generator gen, int cin, int cout, int k, int pad, int size, bool transposed)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 4, cin, size, size }, dtype: float64, generator: gen);
        var w = randn(transposed ? new long[] { cin, cout, k, k } : new long[] { cout, cin, k, k }, dtype: float64, generator: gen) * 0.1;
        var b = randn(new long[] { cout }, dtype: float64, generator: gen);
        long outSize = transposed ? (size - 1) * 2 - 2 * pad + k : size + 2 * pad - k + 1;
        var g = randn(new long[] { 4, cout, outSize, outSize }, dtype: float64, generator: gen);
        (Tensor W, Tensor B) Grads(ScalarType t)
        {
            using var enable = enable_grad();
            var wi = w.to(t).detach().requires_grad_(true);
            var bi = b.to(t).detach().requires_grad_(true);
            var y = transposed
                ? F.conv_transpose2d(x.to(t), wi, bi, strides: new long[] { 2, 2 }, padding: new long[] { pad, pad })
                : F.conv2d(x.to(t), wi, bi, padding: new long[] { pad, pad });
            var gs = autograd.grad(new[] { y }, new[] { wi, bi }, new[] { g.to(t) });
            return (gs[0].detach(), gs[1].detach());
        }
        var r = Grads(float64);
        var f = Grads(float32);
        return (ModelNumerics.RelativeError(f.W, r.W), ModelNumerics.RelativeError(f.B, r.B));
    }

    static double ConvInputGradError(Generator gen, int cin, int cout)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, cin, 8, 8 }, dtype: float64, generator: gen);
        var w = randn(new long[] { cout, cin, 3, 3 }, dtype: float64, generator: gen) * 0.1;
        var g = randn(new long[] { 2, cout, 8, 8 }, dtype: float64, generator: gen);
        Tensor Grad(ScalarType t)
        {
            using var enable = enable_grad();
            var xi = x.to(t).detach().requires_grad_(true);
            var y = F.conv2d(xi, w.to(t), padding: new long[] { 1, 1 });
            var gx = autograd.grad(new[] { y }, new[] { xi }, new[] { g.to(t) })[0];
            return gx.detach();
        }
        return MaxAbs(Grad(float32), Grad(float64));
    }

    static double MaxAbs(Tensor a, Tensor reference)
    {
        var d = (a.to(float64) - reference).abs();
        if (!d.isfinite().all().item<bool>()) return double.PositiveInfinity;
        return d.max().item<double>();
    }

    /// <summary>
    /// Resolves <c>auto|cpu|cuda|cuda:N</c>. <c>auto</c> picks CUDA when TorchSharp reports it.
    /// Asking for CUDA where it is absent is a <see cref="GanSharpException"/>.
    /// </summary>
    public static Device ResolveDevice(string? spec)
    {
        EnsureInitialized();
        string s = (spec ?? "auto").Trim().ToLowerInvariant();
        if (s == "auto") return cuda.is_available() ? Concrete(CUDA) : CPU;
        if (s == "cpu") return CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new GanSharpException("--device cuda: TorchSharp reports no CUDA device on this machine",
                    "this build uses TorchSharp-cpu; use --device cpu or auto, or rebuild with a TorchSharp CUDA package on a GPU host");
            if (s == "cuda") return Concrete(CUDA);
            if (!int.TryParse(s.AsSpan(5), out int index) || index < 0 || index >= cuda.device_count())
                throw new GanSharpException($"--device {spec}: no such CUDA device (found {cuda.device_count()})");
            return new Device(DeviceType.CUDA, index);
        }
        throw new GanSharpException($"--device {spec}: unknown device", "use auto, cpu, cuda or cuda:N");
    }

    /// <summary>
    /// The device with an explicit index: <c>cuda</c> (index −1) becomes <c>cuda:0</c>; CPU is returned as it is.
    /// TorchSharp's <c>Module.to(device)</c> compares device indices, so moving a module that is already on cuda:0
    /// to an index-less <c>cuda</c> copies every parameter into a new one, and an optimiser made before that move
    /// keeps updating (and looking up its state by) the old tensors: resuming on a GPU then failed to load the
    /// optimiser state. Every device GanSharp hands out is concrete.
    /// </summary>
    public static Device Concrete(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type != DeviceType.CPU && device.index < 0 ? new Device(device.type, 0) : device;
    }

    /// <summary>Sets libtorch's intra-op thread count; 0 or null leaves libtorch's default (one per core).</summary>
    public static void SetThreads(int? threads)
    {
        if (threads is null or 0) return;
        if (threads < 0) throw new GanSharpException($"--threads {threads}: must be a positive number");
        torch.set_num_threads(threads.Value);
    }

    /// <summary>Devices TorchSharp can use here, e.g. <c>cpu</c>, <c>cuda:0</c>.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        var list = new List<string> { "cpu" };
        if (cuda.is_available())
            for (int i = 0; i < cuda.device_count(); i++) list.Add($"cuda:{i}");
        return list;
    }
}
