using GanSharp.Nn;
using GanSharp.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Bench;

/// <summary>
/// Which channel counts oneDNN gets wrong here: conv2d and conv_transpose2d over a grid of input/output channels and
/// kernel/stride/padding, float32 with oneDNN on against float64, plain and (conv2d) channel-padded as
/// <see cref="ConvOps"/> does. Prints the wrong cases (relative error > 1e-3 in forward, dX or dW) and a summary.
/// </summary>
public static class OneDnnChannelsBench
{
    /// <summary>Options: <c>--size S</c> (spatial side, default 8).</summary>
    public static int Run(string[] args)
    {
        int hw = new BenchArgs(args).Int("--size", 8);
        var report = TorchRuntime.EnsureInitialized();
        bool before = LibTorchSwitches.MkldnnEnabled;
        LibTorchSwitches.MkldnnEnabled = true;
        var gen = new Generator(7);
        int[] ins = { 1, 3, 8, 16, 24, 32, 64, 100, 129, 257 }, outs = { 1, 3, 8, 16, 24, 32, 64, 128 };
        var kinds = new (int K, int S, int P)[] { (3, 1, 1), (1, 1, 0), (4, 2, 1), (4, 1, 0) };
        Console.WriteLine($"{report.Decision}; oneDNN forced on for this table; input {hw}x{hw}, batch 4; relative error = max|f32 - f64| / max|f64|");
        Console.WriteLine();
        Console.WriteLine("| op | k/s/p | channels in→out | form | forward | dX | dW |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var wrong = new Dictionary<string, (int Bad, int All)>();
        foreach (bool transposed in new[] { false, true })
            foreach (var (k, s, p) in kinds)
                foreach (int cin in ins)
                    foreach (int cout in outs)
                        foreach (bool padded in transposed ? new[] { false } : new[] { false, true })
                        {
                            var (f, dx, dw) = Check(gen, transposed, padded, cin, cout, k, s, p, hw);
                            bool bad = !(f <= 1e-3 && dx <= 1e-3 && dw <= 1e-3);
                            string key = $"{(transposed ? "conv_transpose2d" : "conv2d")} {(padded ? "channel-padded" : "plain")}";
                            var (b, a) = wrong.GetValueOrDefault(key);
                            wrong[key] = (b + (bad ? 1 : 0), a + 1);
                            if (bad)
                                Console.WriteLine($"| {(transposed ? "conv_transpose2d" : "conv2d")} | {k}/{s}/{p} | {cin}→{cout} | {(padded ? "padded" : "plain")} | {E(f)} | {E(dx)} | {E(dw)} |");
                        }
        Console.WriteLine();
        Console.WriteLine("| op and form | wrong cases |");
        Console.WriteLine("|---|---|");
        foreach (var (key, (bad, all)) in wrong) Console.WriteLine($"| {key} | {bad} of {all} |");
        LibTorchSwitches.MkldnnEnabled = before;
        return 0;
    }

    static string E(double e) => double.IsPositiveInfinity(e) ? "NaN/Inf" : e.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture);

    static (double F, double Dx, double Dw) Check(Generator gen, bool transposed, bool padded, int cin, int cout, int k, int s, int p, int hw)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 4, cin, hw, hw }, dtype: float64, generator: gen);
        var w = randn(transposed ? new long[] { cin, cout, k, k } : new long[] { cout, cin, k, k }, dtype: float64, generator: gen) * 0.1;
        Tensor[] Run(ScalarType t, Tensor? gout)
        {
            var xi = x.to(t).detach().requires_grad_(true);
            var wi = w.to(t).detach().requires_grad_(true);
            var y = transposed ? F.conv_transpose2d(xi, wi, strides: new long[] { s, s }, padding: new long[] { p, p })
                : padded ? ConvOps.ChannelPadded(xi, wi, null, s, p)
                : F.conv2d(xi, wi, strides: new long[] { s, s }, padding: new long[] { p, p });
            var g = autograd.grad(new[] { y }, new[] { xi, wi }, new[] { (gout ?? ones_like(y)).to(t) });
            return new[] { y.detach(), g[0].detach(), g[1].detach() };
        }
        var probe = Run(float64, null);
        var gout = randn(probe[0].shape, dtype: float64, generator: gen);
        var r = Run(float64, gout);
        var f = Run(float32, gout);
        return (ModelNumerics.RelativeError(f[0], r[0]), ModelNumerics.RelativeError(f[1], r[1]), ModelNumerics.RelativeError(f[2], r[2]));
    }
}
