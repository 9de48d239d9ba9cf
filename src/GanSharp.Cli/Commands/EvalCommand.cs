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
        foreach (var o in new Option[] { checkpoint, data, features, count, metrics, seed, truncation, assets }) cmd.Options.Add(o);
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
            int n = parse.GetValue(count);
            using var rng = new Generator(parse.GetValue(seed));
            double psi = parse.GetValue(truncation);
            Tensor Generate(int batch)
            {
                using var _ = no_grad();
                return g.Sample(batch, rng, device, psi); // latents and StyleGAN's noise from the seeded stream: the same seed, the same figures
            }
            using var samples = SampleSet.Collect(net, real, Generate, new SampleSetOptions(n, Seed: parse.GetValue(seed)), cancel: cancel, device: device);
            var runFolder = opened.RunFolder;
            var results = MetricRegistry.Evaluate(selected, samples, runFolder, reader.Manifest.Step, reader.Folder);
            var t = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("N").RightAligned()).AddColumn(new TableColumn("s").RightAligned());
            foreach (var r in results)
                foreach (var (k, v) in r.Values)
                    t.AddRow(k, v.ToString("0.0000", CultureInfo.InvariantCulture), r.SampleCount.ToString(CultureInfo.InvariantCulture), r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
            ctx.Console.Write(t);
            ctx.Output.WriteLine($"step {reader.Manifest.Step} of {reader.Folder}; features: {parse.GetValue(features)} (FID-style: not comparable to Inception FID)");
            if (runFolder != null) ctx.Output.WriteLine($"appended to {runFolder}/metric-*.jsonl");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
