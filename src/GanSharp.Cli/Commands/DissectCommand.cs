using System.CommandLine;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Synthesis.Gan;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp dissect</c>: GAN Dissection of one layer of a generator against a concept segmenter (the automatic
/// emoji colour segmentation, or masks a user painted on exported samples); writes <c>dissection.json</c> and an HTML report.
/// </summary>
public static class DissectCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("dissect", "Find the units of a generator layer that draw each concept (GAN Dissection): dissection.json + report/index.html");
        var generator = new Option<string>("--generator", "-g") { Description = "Generator checkpoint (GAN)", Required = true };
        var layer = new Option<int>("--layer") { Description = "Synthesis layer (block) to dissect", Required = true };
        var samples = new Option<int>("--samples") { Description = "Generated samples the statistics run over", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Samples generated at once", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the samples (sample i is the same in every run)", DefaultValueFactory = _ => 1 };
        var masks = new Option<string?>("--masks") { Description = "Folder of user-painted concept masks: MASKS/<sample index>/<concept>.png (default: automatic emoji colour concepts)" };
        var export = new Option<int?>("--export-samples") { Description = "Only write the first N samples as PNGs (sample index = file name) to paint masks on, then exit" };
        var causal = new Option<int>("--causal-samples")
        {
            Description = "Samples (the first of the same ones) on which each unit is inserted and removed inside a square of half the side (at a random place per sample) to measure its " +
                          "causal effect on every concept; GAN Paint then sets the units with the largest effect (0: rank by IoU only; user masks cannot measure it)",
            DefaultValueFactory = _ => 200,
        };
        var output = new Option<string>("--out", "-o") { Description = "Output folder", Required = true };
        foreach (var o in new Option[] { generator, layer, samples, batch, seed, masks, causal, export, output }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            string ckpt = parse.GetValue(generator)!;
            var g = GanCheckpoint.Open(ckpt).LoadGenerator(device);
            string outDir = parse.GetValue(output)!;
            if (parse.GetValue(export) is int n)
            {
                if (n is < 1 or > 10_000) throw new GanSharpException($"--export-samples {n}: must be 1..10000");
                Directory.CreateDirectory(outDir);
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                for (int start = 0; start < n; start += 50)
                {
                    int b = Math.Min(50, n - start);
                    var (ws, noise) = Dissection.SampleInputs(g, parse.GetValue(seed), start, b, device);
                    var images = g.Synthesize(ws, noise).cpu();
                    for (int i = 0; i < b; i++) ImageWriter.WritePng(images[i], Path.Combine(outDir, (start + i).ToString(CultureInfo.InvariantCulture) + ".png"));
                }
                ctx.Output.WriteLine($"wrote {n} samples to {outDir}; paint masks as MASKS/<index>/<concept>.png and run dissect --masks MASKS");
                return Task.FromResult(ExitCodes.Ok);
            }
            ISegmenter segmenter = parse.GetValue(masks) is { } m ? new UserMaskSegmenter(m) : new EmojiColorSegmenter();
            if (segmenter is EmojiColorSegmenter && g.Output.Channels != 3)
                ctx.Error.WriteLine("note: the automatic segmenter is made for colour images; on a gray generator only background, dark, white and gray can occur");
            var options = new DissectionOptions(parse.GetValue(layer), parse.GetValue(samples), parse.GetValue(batch), parse.GetValue(seed),
                CausalSamples: parse.GetValue(causal)).Validate(); // Dissection.Run measures at most --samples of them
            if (!segmenter.ReadsImages && options.CausalSamples > 0)
                ctx.Error.WriteLine("note: user masks belong to the unedited samples, so causal effects are not measured; GAN Paint ranks units by IoU");
            int passes = segmenter.ReadsImages && options.CausalSamples > 0 ? 3 : 2;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int lastPercent = -1;
            var progress = new GanSharp.Diagnostics.SyncProgress<DissectionProgress>(p =>
            {
                int percent = (int)(100.0 * ((p.Pass - 1) + (double)p.Done / p.Total) / passes);
                if (percent / 10 == lastPercent / 10) return;
                lastPercent = percent;
                ctx.Error.WriteLine($"dissect: pass {p.Pass}/{passes}, {p.Done}/{p.Total} samples ({percent} %)");
            });
            var result = Dissection.Run(g, segmenter, options, progress, cancel);
            string json = result.Save(outDir);
            string html = DissectionReport.Write(g, result, Path.Combine(outDir, "report"), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(ckpt))));
            int matched = result.Units.Count(u => u.Iou > DissectionReport.MatchedIou);
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Units.Count} units, {matched} with IoU > {DissectionReport.MatchedIou} for some concept ({clock.Elapsed.TotalSeconds:0.0} s)"));
            foreach (var c in result.ConceptScores.Where(c => c.Units.Count > 0 && c.Units[0].Iou > 0))
            {
                string effect = "";
                if (result.HasCausalEffects)
                {
                    int top = result.TopUnits(c.Concept, 1, PaintAction.Insert)[0];
                    effect = string.Create(CultureInfo.InvariantCulture, $"  best to insert: unit {top,3} (share of the region {result.Effect(c.Concept, top, PaintAction.Insert):+0.000;-0.000})");
                }
                ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Concept,-11} coverage {c.Coverage,6:P1}  top unit {c.Units[0].Unit,3}  IoU {c.Units[0].Iou:0.000}{effect}"));
            }
            ctx.Output.WriteLine($"wrote {json} and {html}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
