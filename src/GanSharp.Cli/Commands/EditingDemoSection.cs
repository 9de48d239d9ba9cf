using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// Demo section: GAN Dissection of the bundled StyleGAN2 emoji generator (the concept table of its bundled dissection)
/// and GAN Paint on a bundled Twitter emoji (a style the generator never saw): insert and remove inside a painted square.
/// </summary>
public sealed class EditingDemoSection : IDemoSection
{
    /// <summary>The generator and its dissection, under assets/checkpoints and assets/dissections.</summary>
    public const string Generator = "stylegan2-emoji";

    /// <inheritdoc />
    public string Title => "Semantic editing (GAN Dissection + GAN Paint)";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        string ckpt = Path.Combine(demo.AssetsFolder, "checkpoints", Generator);
        string dissectionFolder = Path.Combine(demo.AssetsFolder, "dissections", Generator);
        report.Section(Title, "Which units of a generator layer draw which concept (IoU of each unit's top-1 % region with an automatic colour " +
            "segmentation of the samples, and each unit's causal effect: the change of a concept's share when the unit is set inside a region), " +
            "then a real image inverted into the generator and edited by setting a concept's units inside a painted mask. " +
            $"Reproduce: `gansharp dissect -g {ckpt} --layer L -o DIR` and `gansharp paint --image IMG --mask MASK.png --concept NAME --action insert|remove -g {ckpt} -o OUT`.");
        if (!Directory.Exists(ckpt) || !File.Exists(Path.Combine(dissectionFolder, DissectionResult.FileName)))
        {
            report.Paragraph($"Not bundled in this checkout: {ckpt} and {dissectionFolder}. See assets/ASSETS.md for the commands that make them.").EndSection();
            return;
        }
        var g = GanCheckpoint.Open(ckpt).LoadGenerator(demo.Device);
        var d = DissectionResult.Load(dissectionFolder);
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Dissection of layer {d.Layer} ({d.Units.Count} units, {d.Samples} samples): {d.Units.Count(u => u.Iou > DissectionReport.MatchedIou)} units have IoU > {DissectionReport.MatchedIou} with a concept. The full report is in {dissectionFolder}/report."));
        // Insertion effect of a concept's best unit (the mean change of its share of the centre square on the dissection's samples), when measured.
        double BestInsert(string concept) => d.Effect(concept, d.TopUnits(concept, 1, PaintAction.Insert)[0], PaintAction.Insert);
        var header = new List<string> { "concept", "coverage", "best units (IoU)" };
        if (d.HasCausalEffects) header.Add("units GAN Paint inserts (Δ share of the region)");
        report.Table(header, d.ConceptScores.Select(c =>
        {
            var row = new List<string>
            {
                c.Concept, c.Coverage.ToString("P1", CultureInfo.InvariantCulture),
                string.Join(", ", c.Units.Take(3).Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Unit} ({u.Iou:0.000})"))),
            };
            if (d.HasCausalEffects) row.Add(DissectionReport.EffectList(d, c.Concept, PaintAction.Insert, 3));
            return (IReadOnlyList<string>)row;
        }));

        var emoji = DatasetResolver.Resolve("bundled:emoji:twitter", new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels),
            BundledRoot: Path.Combine(demo.AssetsFolder, "samples")));
        int index = Enumerable.Range(0, emoji.Count).FirstOrDefault(i => emoji.IdOf(i) == "1F639");
        var photo = DataLoader.LoadAll(emoji.Take(index + 1))[index..(index + 1)];            // [1, C, H, W]
        var features = Path.Combine(demo.AssetsFolder, "checkpoints", "features-emoji");
        IPerceptualFeatures? phi = Directory.Exists(features) ? new FeatureNetworkPerceptual(FeatureNetwork.Load(features, demo.Device)) : null;
        // The two concepts (other than background) that GAN Paint inserts best: by measured effect when the dissection has it, else by IoU.
        var concepts = d.ConceptScores.Where(c => c.Concept != "background")
            .OrderByDescending(c => d.HasCausalEffects ? BestInsert(c.Concept) : c.Units[0].Iou).Take(2).Select(c => c.Concept).ToArray();
        int h = g.Output.Height, w = g.Output.Width;
        var mask = zeros(h, w);
        mask[(h / 4)..(3 * h / 4), (w / 4)..(3 * w / 4)] = 1;

        var clock = Stopwatch.StartNew();
        // Fewer steps than gansharp paint's defaults, to keep the demo short.
        using var session = EditSession.Fit(g, d, photo.to(demo.Device), new PaintOptions(InvertSteps: 150, FeatureSteps: 50, FitSteps: 100), phi);
        double fit = clock.Elapsed.TotalSeconds;
        using var scope = NewDisposeScope();
        var tiles = new List<Tensor> { photo, (mask * 2 - 1).expand(1, g.Output.Channels, -1, -1), session.Reconstruction().cpu().clamp(-1, 1) };
        var captions = new List<string> { "Twitter emoji (held-out style)", "mask", "reconstruction G′" };
        clock.Restart();
        foreach (var concept in concepts)
            foreach (var action in new[] { PaintAction.Insert, PaintAction.Remove })
            {
                using var edit = session.Preview(mask, concept, action);
                tiles.Add(edit.Edited.cpu().clamp(-1, 1));
                captions.Add($"{action.ToString().ToLowerInvariant()} {concept}");
            }
        double previews = clock.Elapsed.TotalSeconds / (2 * concepts.Length);
        var (full, rel) = report.NewImagePath("paint");
        SampleGrid.WritePng(cat(tiles), full, new GridOptions(Columns: tiles.Count, Scale: Math.Max(2, 96 / h), Captions: captions));
        report.Image(rel, string.Create(CultureInfo.InvariantCulture,
            $"GAN Paint previews inside the centre square (each concept's top 8 units for the action, {(d.HasCausalEffects ? "ranked by their measured effect" : "ranked by IoU")}); fit {fit:0.0} s once, then {previews:0.000} s per preview. Outside the mask the photo is pasted back."));
        report.EndSection();
    }
}
