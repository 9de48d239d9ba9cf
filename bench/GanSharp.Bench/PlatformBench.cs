using System.Diagnostics;
using System.Globalization;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Bench;

/// <summary>
/// Reproduces PLATFORM.md's convolution table on this machine: max abs error vs float64 of the forward (f) and
/// the input gradient (dX) with oneDNN on and off, and the forward+backward time of each op.
/// </summary>
public static class PlatformBench
{
    sealed record Op(string Kind, int In, int Out, int Kernel, int Stride, int Pad, int Size);

    static readonly Op[] Ops =
    {
        new("conv2d", 3, 64, 3, 1, 1, 16), new("conv2d", 1, 64, 3, 1, 1, 16),
        new("conv2d", 64, 3, 3, 1, 1, 16), new("conv2d", 512, 1, 4, 1, 0, 4),
        new("conv2d", 64, 24, 3, 1, 1, 16), new("conv2d", 64, 16, 3, 1, 1, 16),
        new("conv2d", 64, 64, 3, 1, 1, 16), new("conv2d", 100, 64, 3, 1, 1, 16),
        new("conv2d", 64, 128, 4, 2, 1, 16),
        new("conv_transpose2d", 3, 64, 4, 2, 1, 8), new("conv_transpose2d", 100, 512, 4, 1, 0, 1),
        new("conv_transpose2d", 64, 3, 4, 2, 1, 8), new("conv_transpose2d", 64, 1, 4, 2, 1, 8),
        new("conv_transpose2d", 128, 64, 4, 2, 1, 8),
    };

    /// <summary>Runs the benchmark; <c>--batch N</c> (default 32) sets the timing batch.</summary>
    public static int Run(string[] args)
    {
        int batch = args.Length >= 2 && args[0] == "--batch" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        TorchRuntime.EnsureInitialized();
        if (!LibTorchSwitches.IsAvailable) { Console.Error.WriteLine("libtorch switches unavailable"); return 1; }
        bool chosen = LibTorchSwitches.MkldnnEnabled;
        Console.WriteLine($"threads {get_num_threads()}, timing batch {batch}; error = max |float32 - float64|; time = forward+backward, median of 5");
        Console.WriteLine();
        Console.WriteLine("| op | ch in→out | k/s/p | f (oneDNN on) | dX (oneDNN on) | f (off) | dX (off) | ms on | ms off |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var op in Ops)
        {
            LibTorchSwitches.MkldnnEnabled = true;
            var (fOn, dOn) = Errors(op);
            var tOn = Time(op, batch);
            LibTorchSwitches.MkldnnEnabled = false;
            var (fOff, dOff) = Errors(op);
            var tOff = Time(op, batch);
            Console.WriteLine($"| {op.Kind} | {op.In}→{op.Out} | {op.Kernel}/{op.Stride}/{op.Pad} | {E(fOn)} | {E(dOn)} | {E(fOff)} | {E(dOff)} | {tOn:0.00} | {tOff:0.00} |");
        }
        LibTorchSwitches.MkldnnEnabled = chosen;
        return 0;
    }

    static string E(double e) => double.IsNaN(e) ? "NaN" : e.ToString("0.0e+0", CultureInfo.InvariantCulture);

    static Tensor Apply(Op op, Tensor x, Tensor w) => op.Kind == "conv2d"
        ? F.conv2d(x, w, strides: new long[] { op.Stride, op.Stride }, padding: new long[] { op.Pad, op.Pad })
        : F.conv_transpose2d(x, w, strides: new long[] { op.Stride, op.Stride }, padding: new long[] { op.Pad, op.Pad });

    static long[] WeightShape(Op op) => op.Kind == "conv2d"
        ? new long[] { op.Out, op.In, op.Kernel, op.Kernel } : new long[] { op.In, op.Out, op.Kernel, op.Kernel };

    static (double f, double dx) Errors(Op op)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(42);
        var x = randn(new long[] { 4, op.In, op.Size, op.Size }, dtype: float64, generator: gen);
        var w = randn(WeightShape(op), dtype: float64, generator: gen) * (1.0 / Math.Sqrt(op.In * op.Kernel * op.Kernel));
        (Tensor y, Tensor gx) Run(ScalarType t)
        {
            var xi = x.to(t).detach().requires_grad_(true);
            var wi = w.to(t).detach().requires_grad_(true);
            var y = Apply(op, xi, wi);
            var gx = autograd.grad(new[] { y }, new[] { xi }, new[] { ones_like(y) })[0];
            return (y.detach().to(float64), gx.to(float64));
        }
        var (y32, g32) = Run(float32);
        var (y64, g64) = Run(float64);
        return (MaxAbs(y32 - y64), MaxAbs(g32 - g64));
    }

    static double MaxAbs(Tensor d) => d.isfinite().all().item<bool>() ? d.abs().max().item<double>() : double.NaN;

    static double Time(Op op, int batch)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { batch, op.In, op.Size, op.Size }).requires_grad_(true);
        var w = (randn(WeightShape(op)) * 0.05).requires_grad_(true);
        var times = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            using var s = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var y = Apply(op, x, w);
            y.sum().backward();
            sw.Stop();
            x.grad?.zero_();
            w.grad?.zero_();
            if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
