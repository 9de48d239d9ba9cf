using System.CommandLine;
using System.Globalization;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using Spectre.Console;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp eval</c>: FID-style distance, precision/recall and density/coverage of a GAN checkpoint.</summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("eval", "Score a GAN checkpoint against real data in a feature network's space (FID-style, precision/recall, density/coverage)");
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A checkpoint folder, a run folder, or latest", Required = true };
        var data = new Option<string>("--data") { Description = "Real data: " + DatasetResolver.Forms, Required = true };
        var features = new Option<string>("--features") { Description = "Feature network checkpoint (gansharp train features)", Required = true };
        var count = new Option<int>("--count", "-n") { Description = "Samples per side (metrics are comparable only at equal counts)", DefaultValueFactory = _ => 1000 };
        var metrics = new Option<string>("--metrics") { Description = "Comma-separated: " + string.Join(",", MetricRegistry.Default.Names), DefaultValueFactory = _ => string.Join(",", MetricRegistry.Default.Names) };
        var seed = new Option<ulong>("--seed") { Description = "Seed of latents and the real subset", DefaultValueFactory = _ => 0 };
        var truncation = new Option<double>("--truncation") { Description = "Truncation psi (1 = none)", DefaultValueFactory = _ => 1.0 };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        var repeats = new Option<int>("--repeats") { Description = "Evaluate with the seeds SEED … SEED+K−1 (another real subset and other samples each) and report mean, standard deviation and the value of each seed: one seed's emoji FID-style at N 1,000 can be 40 % off the mean of eight, so compare checkpoints seed by seed or by the mean", DefaultValueFactory = _ => 1 };
        foreach (var o in new Option[] { checkpoint, data, features, count, metrics, seed, truncation, assets, repeats }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var opened = GanCheckpoint.Open(parse.GetValue(checkpoint)!);
            var reader = opened.Reader;
            var g = opened.LoadGenerator(device);
            var net = FeatureNetwork.Load(parse.GetValue(features)!, device);
            if (net.Config.Channels != g.Output.Channels)
                throw new GanSharpException($"--features {parse.GetValue(features)} reads {net.Config.Channels}-channel images but {parse.GetValue(checkpoint)} draws {g.Output.Channels}-channel ones",
                    "use a feature network trained on images like the generator's (assets/checkpoints/features-emoji for RGB emoji, features-fashion-mnist for gray Fashion-MNIST), or train one with gansharp train features");
            var real = DatasetResolver.Resolve(parse.GetValue(data)!, new DatasetResolveOptions(g.Output.Height,
                g.Output.Channels == 1 ? ImageMode.Gray : ImageMode.Rgb, BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)), ExactSize: true));
            if (real.Channels != g.Output.Channels || real.Height != g.Output.Height)
                throw new GanSharpException($"{real.Name} is {real.Channels}x{real.Height}x{real.Width} but the generator makes {g.Output}");
            var selected = MetricRegistry.Default.Resolve(parse.GetValue(metrics)!);
            int n = parse.GetValue(count), k = parse.GetValue(repeats);
            if (k < 1) throw new GanSharpException($"--repeats {k}: must be at least 1");
            double psi = parse.GetValue(truncation);
            var runs = new List<IReadOnlyList<MetricResult>>();
            for (int r = 0; r < k; r++)
            {
                ulong runSeed = parse.GetValue(seed) + (ulong)r;
                using var rng = new Generator(runSeed);
                Tensor Generate(int batch)
                {
                    using var _ = no_grad();
                    return g.Sample(batch, rng, device, psi); // latents and StyleGAN's noise from the seeded stream: the same seed, the same figures
                }
                using var samples = SampleSet.Collect(net, real, Generate, new SampleSetOptions(n, Seed: runSeed), cancel: cancel, device: device);
                runs.Add(MetricRegistry.Evaluate(selected, samples)); // logged below: one line per metric, the mean when repeated
            }
            var runFolder = opened.RunFolder;
            var results = k == 1 ? runs[0] : MeanOf(runs);
            if (runFolder != null)
                foreach (var result in results) MetricLog.Append(runFolder, reader.Manifest.Step, result, reader.Folder);
            static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
            var t = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn(k == 1 ? "value" : "mean").RightAligned());
            if (k > 1) t.AddColumn(new TableColumn("sd").RightAligned()).AddColumn($"seeds {parse.GetValue(seed)}…{parse.GetValue(seed) + (ulong)k - 1}");
            t.AddColumn(new TableColumn("N").RightAligned()).AddColumn(new TableColumn("s").RightAligned());
            for (int m = 0; m < results.Count; m++)
                foreach (var (key, v) in results[m].Values)
                {
                    var cells = new List<string> { key, F(v) };
                    if (k > 1)
                    {
                        var each = runs.Select(run => run[m][key]).ToArray();
                        cells.Add(F(Math.Sqrt(each.Sum(x => (x - v) * (x - v)) / (k - 1))));
                        cells.Add(string.Join(" ", each.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture))));
                    }
                    cells.Add(results[m].SampleCount.ToString(CultureInfo.InvariantCulture));
                    cells.Add(results[m].Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
                    t.AddRow(cells.Select(c => Markup.Escape(c)).ToArray());
                }
            ctx.Console.Write(t);
            ctx.Output.WriteLine($"step {reader.Manifest.Step} of {reader.Folder}; features: {parse.GetValue(features)} (FID-style: not comparable to Inception FID)");
            if (runFolder != null) ctx.Output.WriteLine($"appended to {runFolder}/metric-*.jsonl" + (k > 1 ? $" (the mean of {k} seeds)" : ""));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>Per metric, the mean of each value over the runs; the elapsed time is the sum.</summary>
    static IReadOnlyList<MetricResult> MeanOf(IReadOnlyList<IReadOnlyList<MetricResult>> runs) =>
        runs[0].Select((first, m) => new MetricResult(first.Metric,
            first.Values.Keys.ToDictionary(key => key, key => runs.Average(run => run[m][key])),
            first.SampleCount, TimeSpan.FromTicks(runs.Sum(run => run[m].Elapsed.Ticks)))).ToList();
}
