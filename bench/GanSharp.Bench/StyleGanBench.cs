using System.Diagnostics;
using System.Globalization;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Bench;

/// <summary>
/// Parameter counts of the default StyleGAN networks and the time of one training step (one D step with the logistic
/// loss, one G step with the non-saturating loss and style mixing, Adam) at a given batch.
/// </summary>
public static class StyleGanBench
{
    /// <summary>Runs the benchmark; <c>--batch N</c> (default 32), <c>--resolution R</c> (default 32), <c>--channels C</c> (default 3), <c>--steps S</c> (default 5).</summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        int Arg(string name, int fallback) => opt.Int(name, fallback);
        int batch = Arg("--batch", 32), steps = Arg("--steps", 5);
        var config = new StyleGanConfig(Resolution: Arg("--resolution", 32), Channels: Arg("--channels", 3)).Validate();
        var report = TorchRuntime.EnsureInitialized();
        manual_seed(1);
        var g = new StyleGanGenerator(config);
        var d = new StyleGanDiscriminator(config);
        long Count(nn.Module m, string? prefix = null) =>
            m.named_parameters().Where(p => prefix == null || p.name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; config {config}");
        Console.WriteLine();
        Console.WriteLine("| network | parameters |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| G mapping | {Count(g, "mapping."):N0} |");
        Console.WriteLine($"| G synthesis | {Count(g) - Count(g, "mapping."):N0} |");
        Console.WriteLine($"| G total | {Count(g):N0} |");
        Console.WriteLine($"| D total | {Count(d):N0} |");
        Console.WriteLine();

        var optG = optim.Adam(g.parameters(), lr: 1e-3, beta1: 0.0, beta2: 0.99);
        var optD = optim.Adam(d.parameters(), lr: 1e-3, beta1: 0.0, beta2: 0.99);
        var real = rand(new long[] { batch, config.Channels, config.Resolution, config.Resolution }) * 2 - 1;
        var times = new List<double>();
        for (int step = 0; step <= steps; step++) // step 0 warms up
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            Tensor fake;
            using (no_grad()) fake = g.Synthesize(g.MixStyles(randn(batch, config.LatentSize), randn(batch, config.LatentSize), config.MixingProbability));
            optD.zero_grad();
            var lossD = F.softplus(d.Score(fake)).mean() + F.softplus(-d.Score(real)).mean();
            lossD.backward();
            optD.step();
            optG.zero_grad();
            var ws = g.MixStyles(randn(batch, config.LatentSize), randn(batch, config.LatentSize), config.MixingProbability);
            var lossG = F.softplus(-d.Score(g.Synthesize(ws))).mean();
            lossG.backward();
            optG.step();
            g.UpdateMeanLatent(ws);
            if (step > 0) times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        Console.WriteLine($"| resolution | channels | batch | D+G step (median of {steps}) |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {config.Resolution} | {config.Channels} | {batch} | {times[times.Count / 2]:0.00} s |");
        return 0;
    }
}
