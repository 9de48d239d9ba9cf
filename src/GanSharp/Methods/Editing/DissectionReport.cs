using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Models;
using GanSharp.Reports;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Editing;

/// <summary>
/// The HTML report of a dissection: the per-concept table (coverage, best units and their IoU), the per-layer summary,
/// and for the top units of each concept their thresholded activation (a_u &gt; t_u) overlaid on the first samples.
/// </summary>
public static class DissectionReport
{
    /// <summary>Units with an IoU above this count as matched to a concept in the summary (Bau et al. use 0.04).</summary>
    public const double MatchedIou = 0.04;

    /// <summary>Writes the report into <paramref name="folder"/> (replaced atomically) and returns the path of its index.html.</summary>
    public static string Write(IGenerator g, DissectionResult r, string folder, string generatorName, int samples = 8, int unitsPerConcept = 3)
    {
        var report = new HtmlReport(folder, $"GAN Dissection of {generatorName}, layer {r.Layer}");
        try
        {
            int matched = r.Units.Count(u => u.Iou > MatchedIou);
            report.Section("Summary", string.Create(CultureInfo.InvariantCulture,
                $"{r.Units.Count} units at layer {r.Layer}, {r.Samples} samples (seed {r.Seed}), thresholds at the top {r.TopFraction:P0} of each unit's activations, " +
                $"concepts from the {r.Segmenter} segmenter. {matched} units have IoU above {MatchedIou} with some concept."));
            var header = new List<string> { "concept", "coverage", "best units (IoU)", "units matched" };
            if (r.HasCausalEffects) header.AddRange(new[] { "units to insert (Δ share)", "units to remove (Δ share)" });
            report.Table(header, r.ConceptScores.Select(c =>
            {
                var row = new List<string>
                {
                    c.Concept,
                    c.Coverage.ToString("P1", CultureInfo.InvariantCulture),
                    string.Join(", ", c.Units.Take(5).Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Unit} ({u.Iou:0.000})"))),
                    r.Units.Count(u => u.BestConcept == c.Concept && u.Iou > MatchedIou).ToString(CultureInfo.InvariantCulture),
                };
                if (r.HasCausalEffects) row.AddRange(new[] { EffectList(r, c.Concept, PaintAction.Insert, 5), EffectList(r, c.Concept, PaintAction.Remove, 5) });
                return (IReadOnlyList<string>)row;
            }));
            if (r.HasCausalEffects)
                report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                    $"Δ share: the mean change of the concept's share of a square of half the side (placed at random per sample) when the unit alone is set to its active level there (insert) or to 0 (remove), measured on the first {r.CausalSamples} samples. GAN Paint sets the units with the largest change for the action."));
            report.EndSection();

            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (ws, noise) = Dissection.SampleInputs(g, r.Seed, 0, samples, g.MeanLatent.device);
            var images = g.Synthesize(ws, noise).cpu();                                                       // [S, C, H, W]
            var features = g.FeaturesAt(r.Layer, ws, noise).narrow(1, 0, r.Units.Count);
            var act = F.interpolate(features, new long[] { g.Output.Height, g.Output.Width }, mode: InterpolationMode.Bilinear, align_corners: false).cpu(); // [S, U, H, W]
            report.Section("Top units per concept", "Each row: one unit's region a_u > t_u (highlighted) on the first samples.");
            foreach (var c in r.ConceptScores.Where(c => c.Coverage > 0))
                foreach (var u in c.Units.Take(unitsPerConcept).Where(u => u.Iou > 0))
                {
                    var on = act[.., u.Unit..(u.Unit + 1)].gt(r.Units[u.Unit].Threshold).to(float32);          // [S, 1, H, W]
                    var overlay = Highlight(images, on);
                    var (path, name) = report.NewImagePath($"{c.Concept}-unit{u.Unit}");
                    SampleGrid.WritePng(overlay, path, new GridOptions(Columns: samples, Scale: Math.Max(1, 64 / g.Output.Height)));
                    report.Image(name, string.Create(CultureInfo.InvariantCulture, $"{c.Concept}: unit {u.Unit}, IoU {u.Iou:0.000}"));
                }
            report.EndSection();
            if (r.HasCausalEffects)
            {
                report.Section("Inserting each concept", "Each pair of rows: the samples, then the same samples with the concept's top 3 units to insert set to their active level inside the centre square.");
                var region = Dissection.CentreSquare(features.shape[2], g.MeanLatent.device);                  // [1, 1, r, r]
                var full = g.FeaturesAt(r.Layer, ws, noise);                                                   // [S, C_l, r, r]
                foreach (var c in r.ConceptScores.Where(c => c.Coverage > 0))
                {
                    var top = r.TopUnits(c.Concept, 3, PaintAction.Insert);
                    var edited = Dissection.SetUnits(full, region, top, top.Select(u => r.Units[u].ActiveLevel).ToArray());
                    var inserted = g.SynthesizeFrom(r.Layer, edited, ws, noise).cpu();
                    var (path, name) = report.NewImagePath($"{c.Concept}-insert");
                    SampleGrid.WritePng(cat(new[] { images, inserted.clamp(-1, 1) }), path, new GridOptions(Columns: samples, Scale: Math.Max(1, 64 / g.Output.Height)));
                    report.Image(name, $"{c.Concept}: units {string.Join(", ", top)} inserted in the centre");
                }
                report.EndSection();
            }
            return report.Publish();
        }
        catch
        {
            report.Abandon();
            throw;
        }
    }

    /// <summary>
    /// The <paramref name="count"/> units GAN Paint sets for <paramref name="concept"/> and <paramref name="action"/>, each
    /// with its measured change of the concept's share, e.g. <c>55 (+0.206), 31 (+0.165)</c>; needs causal effects.
    /// </summary>
    public static string EffectList(DissectionResult r, string concept, PaintAction action, int count) =>
        string.Join(", ", r.TopUnits(concept, count, action).Select(u => string.Create(CultureInfo.InvariantCulture, $"{u} ({r.Effect(concept, u, action):+0.000;-0.000})")));

    /// <summary>Images <c>[N, C, H, W]</c> in [-1, 1] with the region <c>[N, 1, H, W]</c> (0/1) tinted red and the rest dimmed.</summary>
    public static Tensor Highlight(Tensor images, Tensor region)
    {
        using var scope = NewDisposeScope();
        var rgb = images.shape[1] == 1 ? ColorOps.GrayToRgb(images) : images;
        var red = tensor(new float[] { 1f, -1f, -1f }).reshape(1, 3, 1, 1).to(rgb.device);
        var dimmed = rgb * 0.5 + 0.5 * 0.5;                                  // towards light gray outside the region
        return (region * (0.45 * rgb + 0.55 * red) + (1 - region) * dimmed).MoveToOuterDisposeScope();
    }
}
