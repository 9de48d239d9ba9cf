using System.Text.Json;
using System.Text.Json.Serialization;
using GanSharp.IO;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Editing;

/// <summary>Settings of a dissection.</summary>
/// <param name="Layer">The synthesis block whose output units are dissected (0-based, as <see cref="IGenerator.FeaturesAt"/>).</param>
/// <param name="Samples">Generated samples the statistics run over [Bau et al.: 10,000; 2,000 is enough for 32–64 px here].</param>
/// <param name="BatchSize">Samples generated at once.</param>
/// <param name="Seed">Seed of the latents (and noise), so that sample i is the same in every run and in <c>--export-samples</c>.</param>
/// <param name="TopFraction">The threshold t_u is set so that P(a_u &gt; t_u) = this fraction over all pixels of all samples [0.01].</param>
/// <param name="QuantilePixels">Pixels per sample and unit kept (at random) to estimate t_u; the rest of the work streams.</param>
/// <param name="RankedUnits">Units listed per concept in the result.</param>
/// <param name="CausalSamples">Samples (the first of the same seeded ones, at most <paramref name="Samples"/>) over which every unit's causal effect on every concept is
/// measured by intervention in a square of half the side placed at random (<see cref="Dissection.CausalEffects"/>); 0: IoU only. Needs a segmenter that reads images.</param>
public sealed record DissectionOptions(int Layer, int Samples = 2000, int BatchSize = 50, ulong Seed = 1, double TopFraction = 0.01,
    int QuantilePixels = 64, int RankedUnits = 20, int CausalSamples = 200)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid setting.</summary>
    public DissectionOptions Validate()
    {
        if (Samples < 1) throw new GanSharpException($"dissection: {Samples} samples; must be at least 1");
        if (BatchSize < 1) throw new GanSharpException($"dissection: batch size {BatchSize}; must be at least 1");
        if (!(TopFraction > 0 && TopFraction < 1)) throw new GanSharpException($"dissection: top fraction {TopFraction}; must be in (0, 1)");
        if (QuantilePixels < 1) throw new GanSharpException($"dissection: {QuantilePixels} quantile pixels; must be at least 1");
        if (RankedUnits < 1) throw new GanSharpException($"dissection: {RankedUnits} ranked units; must be at least 1");
        if (CausalSamples < 0) throw new GanSharpException($"dissection: {CausalSamples} causal samples; must not be negative (0: IoU only)");
        return this;
    }
}

/// <summary>One unit's dissection: its threshold, typical active level, and best-matching concept.</summary>
/// <param name="Unit">Channel index at the layer.</param>
/// <param name="Threshold">t_u: P(a_u &gt; t_u) = the top fraction (activations upsampled to image size).</param>
/// <param name="ActiveLevel">Mean of a_u where a_u &gt; t_u: the value GAN Paint writes to insert the unit's concept.</param>
/// <param name="BestConcept">The concept with the highest IoU.</param>
/// <param name="Iou">That IoU.</param>
public sealed record UnitScore(int Unit, double Threshold, double ActiveLevel, string BestConcept, double Iou);

/// <summary>A unit's IoU with one concept.</summary>
public sealed record RankedUnit(int Unit, double Iou);

/// <summary>One concept's dissection: the fraction of pixels it covers and its units ranked by IoU.</summary>
public sealed record ConceptScore(string Concept, double Coverage, IReadOnlyList<RankedUnit> Units);

/// <summary>
/// The result of <see cref="Dissection.Run"/>: per unit, threshold, active level and best concept; per concept, ranked
/// units; the whole IoU matrix <c>[units][concepts]</c>; and, when measured, the causal effects of inserting and removing
/// each unit on each concept (<see cref="Dissection.CausalEffects"/>). Saved as <c>dissection.json</c>; a file without the
/// causal effects (written before they existed, or with user masks) ranks units by IoU alone.
/// </summary>
/// <param name="Layer">The dissected layer.</param>
/// <param name="Samples">Samples the IoU statistics ran over.</param>
/// <param name="Seed">Seed of the samples (<see cref="Dissection.SampleInputs"/>).</param>
/// <param name="TopFraction">The fraction of each unit's activations above its threshold.</param>
/// <param name="Segmenter">The segmenter's name.</param>
/// <param name="Concepts">The concept names, in the order of the matrices' columns.</param>
/// <param name="Units">Per unit: threshold, active level, best concept.</param>
/// <param name="ConceptScores">Per concept: coverage and units ranked by IoU.</param>
/// <param name="Iou">IoU of every unit with every concept. // [units][concepts]</param>
/// <param name="InsertEffects">Per unit and concept, the mean change of the concept's share of the edited region when the unit
/// is set to its active level there. // [units][concepts]</param>
/// <param name="RemoveEffects">The same for setting the unit to 0 there. // [units][concepts]</param>
/// <param name="CausalSamples">Samples the effects were measured on (0: not measured).</param>
public sealed record DissectionResult(int Layer, int Samples, ulong Seed, double TopFraction, string Segmenter, IReadOnlyList<string> Concepts,
    IReadOnlyList<UnitScore> Units, IReadOnlyList<ConceptScore> ConceptScores, double[][] Iou, double[][]? InsertEffects = null,
    double[][]? RemoveEffects = null, int CausalSamples = 0)
{
    /// <summary>The file name inside a dissection folder.</summary>
    public const string FileName = "dissection.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The concept's entry, or a <see cref="GanSharpException"/> listing the known concepts.</summary>
    public ConceptScore Concept(string name) =>
        ConceptScores.FirstOrDefault(c => string.Equals(c.Concept, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new GanSharpException($"concept '{name}' is not in the dissection", "known concepts: " + string.Join(", ", Concepts));

    /// <summary>Whether the causal effects were measured (<see cref="InsertEffects"/>, <see cref="RemoveEffects"/>).</summary>
    [JsonIgnore]
    public bool HasCausalEffects => InsertEffects is not null && RemoveEffects is not null && CausalSamples > 0;

    /// <summary>The index of <paramref name="concept"/> in <see cref="Concepts"/> (the effects' and IoU matrix's columns).</summary>
    public int ConceptIndex(string concept)
    {
        var entry = Concept(concept);
        return Concepts.ToList().FindIndex(n => string.Equals(n, entry.Concept, StringComparison.Ordinal));
    }

    /// <summary>The measured change of <paramref name="concept"/>'s share when <paramref name="unit"/> alone is inserted or removed; needs <see cref="HasCausalEffects"/>.</summary>
    public double Effect(string concept, int unit, PaintAction action)
    {
        if (!HasCausalEffects) throw new GanSharpException("this dissection has no causal effects", "run gansharp dissect with --causal-samples N (N > 0) and the automatic segmenter");
        return (action == PaintAction.Insert ? InsertEffects! : RemoveEffects!)[unit][ConceptIndex(concept)];
    }

    /// <summary>
    /// The <paramref name="k"/> units GAN Paint sets for <paramref name="concept"/>: with causal effects, those whose
    /// insertion raises the concept's share most (<paramref name="action"/> insert) or whose removal lowers it most (remove);
    /// without them, or when <paramref name="action"/> is null, those with the highest IoU.
    /// </summary>
    public IReadOnlyList<int> TopUnits(string concept, int k, PaintAction? action = null)
    {
        if (action is not { } a || !HasCausalEffects) return Concept(concept).Units.Take(k).Select(u => u.Unit).ToArray();
        double sign = a == PaintAction.Insert ? 1 : -1;
        return Enumerable.Range(0, Units.Count).OrderByDescending(u => sign * Effect(concept, u, a)).ThenBy(u => u).Take(k).ToArray();
    }

    /// <summary>Writes <c>dissection.json</c> into <paramref name="folder"/> atomically.</summary>
    public string Save(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    /// <summary>Reads <paramref name="pathOrFolder"/> (a <c>dissection.json</c> or its folder), with a clear error when it is not one.</summary>
    public static DissectionResult Load(string pathOrFolder)
    {
        string path = Directory.Exists(pathOrFolder) ? Path.Combine(pathOrFolder, FileName) : pathOrFolder;
        if (!File.Exists(path)) throw new GanSharpException($"dissection '{pathOrFolder}': no {FileName} found", "run `gansharp dissect -g CKPT --layer L -o DIR` first");
        try
        {
            var r = JsonSerializer.Deserialize<DissectionResult>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            if (r.Units.Count == 0 || r.Concepts.Count == 0 || r.Iou.Length != r.Units.Count) throw new JsonException("units, concepts and the IoU matrix do not agree");
            foreach (var effects in new[] { r.InsertEffects, r.RemoveEffects })
                if (effects is not null && (effects.Length != r.Units.Count || effects.Any(row => row.Length != r.Concepts.Count)))
                    throw new JsonException("the causal effects do not match the units and concepts");
            return r;
        }
        catch (JsonException e) { throw new GanSharpException($"{path}: not a readable dissection ({e.Message})"); }
    }
}

/// <summary>Progress of a dissection: pass 1 estimates thresholds, pass 2 scores concepts, pass 3 measures causal effects.</summary>
public readonly record struct DissectionProgress(int Pass, int Done, int Total);

/// <summary>
/// GAN Dissection: for one layer of a generator, sample many images, threshold each unit's upsampled activation at its
/// top-1 % level, and score every concept of a segmenter by IoU(u, c) = Σ|(a_u &gt; t_u) ∧ s_c| / Σ|(a_u &gt; t_u) ∨ s_c|
/// over all samples. Two streaming passes over the same seeded samples: the first keeps a random subset of pixels
/// per unit to estimate t_u, the second accumulates intersections and unions ([units × concepts] sums), so memory does
/// not grow with the sample count.
/// </summary>
/// <remarks>Bau, Zhu, Strobelt, Zhou, Tenenbaum, Freeman, Torralba, "GAN Dissection: Visualizing and Understanding
/// Generative Adversarial Networks", ICLR 2019, §3.1 (Eq. 2–3).</remarks>
public static class Dissection
{
    /// <summary>Units of <paramref name="layer"/> that carry features: all channels, less a StyleGAN2's partial RGB image.</summary>
    public static int UnitCount(IGenerator g, int layer) =>
        MultiCodeInversion.LayerChannels(g, layer) - (g is StyleGan2Generator ? g.Output.Channels : 0);

    /// <summary>The seeded samples <paramref name="start"/>.. of a dissection: latents and noise from one stream per batch position.</summary>
    public static (Tensor Ws, IReadOnlyList<Tensor>? Noise) SampleInputs(IGenerator g, ulong seed, int start, int count, Device device)
    {
        // One stream per sample: sample i is the same whatever the batch size.
        var ws = new List<Tensor>();
        var noise = new List<IReadOnlyList<Tensor>>();
        using var _ = no_grad();
        for (int i = start; i < start + count; i++)
        {
            using var rng = new Generator(seed * 1_000_003UL + (ulong)i);
            ws.Add(g.Map(randn(new long[] { 1, g.LatentSize }, generator: rng).to(device)));
            if (g is IStyleGenerator sg) noise.Add(sg.MakeNoise(1, rng, device));
        }
        var w = cat(ws, 0); // [count, S]
        IReadOnlyList<Tensor>? n = noise.Count == 0 ? null
            : Enumerable.Range(0, noise[0].Count).Select(k => cat(noise.Select(x => x[k]).ToArray(), 0)).ToArray();
        return (w, n);
    }

    /// <summary>
    /// t_u per unit from sampled activations <c>[U, M]</c>: the value with a fraction <paramref name="topFraction"/> of
    /// the samples above it (the ⌈M (1 − f)⌉-th smallest).
    /// </summary>
    public static double[] Thresholds(Tensor values, double topFraction)
    {
        using var scope = NewDisposeScope();
        long kth = Math.Clamp((long)Math.Round(values.shape[1] * (1 - topFraction)), 1, values.shape[1]);
        return values.kthvalue(kth, 1).values.to(float64).cpu().data<double>().ToArray(); // [U]
    }

    /// <summary>Σ over images and pixels of on_u · s_c: <c>[U, K]</c> float64 from on <c>[N, U, P]</c> and masks <c>[N, K, P]</c> (0/1).</summary>
    public static Tensor Intersections(Tensor on, Tensor masks) => on.bmm(masks.transpose(1, 2)).sum(new long[] { 0 }).to(float64);

    /// <summary>IoU = I / (|A| + |S| − I) from intersections <c>[U, K]</c>, active counts <c>[U]</c> and concept counts <c>[K]</c>; 0 where both are empty.</summary>
    public static Tensor Iou(Tensor intersections, Tensor activeCounts, Tensor conceptCounts)
    {
        using var scope = NewDisposeScope();
        var union = activeCounts.unsqueeze(1) + conceptCounts.unsqueeze(0) - intersections;     // [U, K]
        return (intersections / union.clamp_min(1)).to(float64).MoveToOuterDisposeScope();
    }

    /// <summary>Dissects the layer of <paramref name="options"/> of <paramref name="g"/> (on its device) against <paramref name="segmenter"/>.</summary>
    public static DissectionResult Run(IGenerator g, ISegmenter segmenter, DissectionOptions options,
        IProgress<DissectionProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(segmenter);
        var o = options.Validate();
        if (o.Layer < 0 || o.Layer >= g.LayerCount)
            throw new GanSharpException($"--layer {o.Layer}: the generator has layers 0..{g.LayerCount - 1}");
        g.Module.eval();
        var device = g.MeanLatent.device;
        int units = UnitCount(g, o.Layer), concepts = segmenter.Concepts.Count;
        long h = g.Output.Height, w = g.Output.Width;

        Tensor Activations(Tensor features) // the layer's output [B, C_l, r, r] → units [B, U, H, W] at image size
        {
            var f = features.narrow(1, 0, units);
            return F.interpolate(f, new long[] { h, w }, mode: InterpolationMode.Bilinear, align_corners: false);
        }

        // Pass 1: thresholds from a random subset of pixels per sample.
        var kept = new List<Tensor>();
        using var pick = new Generator(o.Seed ^ 0x9E3779B97F4A7C15UL);
        for (int start = 0; start < o.Samples; start += o.BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int b = Math.Min(o.BatchSize, o.Samples - start);
            using var _ = no_grad();
            var (ws, noise) = SampleInputs(g, o.Seed, start, b, device);
            var a = Activations(g.FeaturesAt(o.Layer, ws, noise)).flatten(2).cpu().to(float32); // [B, U, HW]
            var idx = randint(0, h * w, new long[] { b, 1, Math.Min(o.QuantilePixels, h * w) }, generator: pick);
            kept.Add(a.gather(2, idx.expand(-1, units, -1)).permute(1, 0, 2).reshape(units, -1).MoveToOuterDisposeScope()); // [U, B·P]
            progress?.Report(new DissectionProgress(1, start + b, o.Samples));
        }
        double[] thresholds;
        using (var scope = NewDisposeScope())
        {
            thresholds = Thresholds(cat(kept, 1), o.TopFraction);
            foreach (var k in kept) k.Dispose();
        }

        // Pass 2: intersections and unions over all samples.
        var inter = zeros(new long[] { units, concepts }, dtype: float64);
        var activeCount = zeros(new long[] { units }, dtype: float64);
        var activeSum = zeros(new long[] { units }, dtype: float64);
        var conceptCount = zeros(new long[] { concepts }, dtype: float64);
        long pixels = 0;
        var t = tensor(thresholds).to(float32).reshape(1, units, 1);
        for (int start = 0; start < o.Samples; start += o.BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int b = Math.Min(o.BatchSize, o.Samples - start);
            using var _ = no_grad();
            var (ws, noise) = SampleInputs(g, o.Seed, start, b, device);
            var features = g.FeaturesAt(o.Layer, ws, noise);
            var images = g.SynthesizeFrom(o.Layer, features, ws, noise);                         // = Synthesize(ws, noise), without redoing the first blocks
            var masks = segmenter.Segment(images, Enumerable.Range(start, b).ToArray(), out bool[] known).cpu().to(float32); // [B, K, H, W]
            var a = Activations(features).flatten(2).cpu().to(float32);                          // [B, U, HW]
            var keep = tensor(known).reshape(-1, 1, 1).to(float32);                             // [B, 1, 1]
            var on = a.gt(t).to(float32) * keep;                                                 // [B, U, HW]
            var s = masks.flatten(2) * keep;                                                     // [B, K, HW]
            inter.add_(Intersections(on, s));                                                    // [U, K]
            activeCount.add_(on.sum(new long[] { 0, 2 }).to(float64));
            activeSum.add_((a * on).sum(new long[] { 0, 2 }).to(float64));
            conceptCount.add_(s.sum(new long[] { 0, 2 }).to(float64));
            pixels += known.Count(k => k) * h * w;
            progress?.Report(new DissectionProgress(2, start + b, o.Samples));
        }
        if (pixels == 0) throw new GanSharpException($"dissection: the segmenter ({segmenter.Name}) has masks for none of the {o.Samples} samples",
            "user masks are looked up by sample index; export the samples with --export-samples and paint masks for some of them");

        var iou = Iou(inter, activeCount, conceptCount);                                          // [U, K]
        var iouRows = Enumerable.Range(0, units).Select(u => iou[u].data<double>().ToArray()).ToArray();
        var active = (activeSum / activeCount.clamp_min(1)).data<double>().ToArray();
        var names = segmenter.Concepts;
        var unitScores = Enumerable.Range(0, units).Select(u =>
        {
            int best = Array.IndexOf(iouRows[u], iouRows[u].Max());
            return new UnitScore(u, thresholds[u], active[u], names[best], iouRows[u][best]);
        }).ToArray();
        var coverage = (conceptCount / pixels).data<double>().ToArray();
        var conceptScores = names.Select((c, k) => new ConceptScore(c, coverage[k],
            Enumerable.Range(0, units).Select(u => new RankedUnit(u, iouRows[u][k])).OrderByDescending(r => r.Iou).ThenBy(r => r.Unit).Take(o.RankedUnits).ToArray())).ToArray();
        foreach (var x in new[] { inter, activeCount, activeSum, conceptCount, iou, t }) x.Dispose();
        var result = new DissectionResult(o.Layer, o.Samples, o.Seed, o.TopFraction, segmenter.Name, names.ToArray(), unitScores, conceptScores, iouRows);
        if (o.CausalSamples == 0 || !segmenter.ReadsImages) return result;
        var (insert, remove, measured) = CausalEffects(g, segmenter, o.Layer, active, o.Seed, Math.Min(o.CausalSamples, o.Samples), o.BatchSize, progress, cancel);
        return measured == 0 ? result : result with { InsertEffects = insert, RemoveEffects = remove, CausalSamples = measured };
    }

    /// <summary>
    /// GAN Paint's intervention: <paramref name="features"/> (<c>[B, C, r, r]</c>) with the channels <paramref name="units"/>
    /// set inside <paramref name="region"/> (<c>[1, 1, r, r]</c> or <c>[B, 1, r, r]</c>, 0/1) to <paramref name="levels"/>
    /// (one per unit; null: 0, i.e. removal); everything else unchanged.
    /// </summary>
    public static Tensor SetUnits(Tensor features, Tensor region, IReadOnlyList<int> units, IReadOnlyList<double>? levels = null)
    {
        if (levels is not null && levels.Count != units.Count) throw new ArgumentException($"{units.Count} units but {levels.Count} levels", nameof(levels));
        using var scope = NewDisposeScope();
        long c = features.shape[1];
        var select = zeros(new long[] { 1, c, 1, 1 }, device: features.device);      // which channels are set
        var values = zeros(new long[] { 1, c, 1, 1 }, device: features.device);      // what they are set to
        for (int i = 0; i < units.Count; i++)
        {
            select[0, units[i]] = 1;
            if (levels is not null) values[0, units[i]] = levels[i];
        }
        var where = select * region.to(features.dtype);                                // [1 or B, C, r, r]
        return (features * (1 - where) + values * where).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The centre square of half the side at resolution <paramref name="side"/>, 1 inside (where the report's insertion
    /// pictures set the units). // [1, 1, r, r]
    /// </summary>
    public static Tensor CentreSquare(long side, Device? device = null)
    {
        var m = zeros(new long[] { 1, 1, side, side }, device: device);
        int lo = (int)(side / 4), hi = (int)(side - side / 4);
        m[.., .., lo..hi, lo..hi] = 1;
        return m;
    }

    /// <summary>
    /// The edited regions of the causal effects for samples <paramref name="start"/>.. : per sample a square of half the
    /// side (at least one cell) at a position drawn uniformly from that sample's own stream, so that the effects average
    /// over where a user may paint and sample i has the same region whatever the batch size. // [count, 1, r, r]
    /// </summary>
    public static Tensor CausalRegions(long side, ulong seed, int start, int count, Device? device = null)
    {
        long half = Math.Max(1, side / 2);
        var m = zeros(new long[] { count, 1, side, side });
        for (int i = 0; i < count; i++)
        {
            using var rng = new Generator((seed * 1_000_003UL + (ulong)(start + i)) ^ 0xC2B2AE3D27D4EB4FUL);
            var at = randint(side - half + 1, new long[] { 2 }, generator: rng).data<long>().ToArray();
            m[i, 0, (int)at[0]..(int)(at[0] + half), (int)at[1]..(int)(at[1] + half)] = 1;
        }
        return device is null ? m : m.to(device);
    }

    /// <summary>
    /// Average causal effects of each unit on each concept (Bau et al., ICLR 2019, §3.2), by intervention on the
    /// dissection's first <paramref name="samples"/> seeded samples: inside each sample's region (<see cref="CausalRegions"/>:
    /// a square of half the side, placed at random) the unit is set to its active level (insert) or to 0 (remove), as GAN Paint does, the rest of the synthesis runs unchanged, and the
    /// concept's share of the region's pixels is compared with the unedited sample's. Samples the segmenter has no masks
    /// for are left out.
    /// </summary>
    /// <param name="g">The generator.</param>
    /// <param name="segmenter">Reads concepts from images (<see cref="ISegmenter.ReadsImages"/>).</param>
    /// <param name="layer">The dissected layer.</param>
    /// <param name="activeLevels">Per unit, the value insertion writes.</param>
    /// <param name="seed">The dissection's seed (<see cref="SampleInputs"/>).</param>
    /// <param name="samples">How many samples.</param>
    /// <param name="batchSize">Samples generated at once.</param>
    /// <param name="progress">Reported as pass 3.</param>
    /// <param name="cancel">Checked before every batch.</param>
    /// <returns>The insert and remove effects <c>[units][concepts]</c> and how many samples they were measured on.</returns>
    public static (double[][] Insert, double[][] Remove, int Samples) CausalEffects(IGenerator g, ISegmenter segmenter, int layer, IReadOnlyList<double> activeLevels,
        ulong seed, int samples, int batchSize, IProgress<DissectionProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(segmenter);
        if (!segmenter.ReadsImages) throw new GanSharpException($"dissection: the segmenter ({segmenter.Name}) cannot segment edited images, so causal effects cannot be measured");
        int units = activeLevels.Count, concepts = segmenter.Concepts.Count;
        var device = g.MeanLatent.device;
        g.Module.eval();
        var insert = zeros(new long[] { units, concepts }, dtype: float64);
        var remove = zeros(new long[] { units, concepts }, dtype: float64);
        int measured = 0;
        for (int start = 0; start < samples; start += batchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int b = Math.Min(batchSize, samples - start);
            using var noGrad = no_grad();
            var (ws, noise) = SampleInputs(g, seed, start, b, device);
            var features = g.FeaturesAt(layer, ws, noise);                                        // [B, C_l, r, r]
            var region = CausalRegions(features.shape[2], seed, start, b, device);              // [B, 1, r, r]
            var pixels = F.interpolate(region, new long[] { g.Output.Height, g.Output.Width }, mode: InterpolationMode.Nearest).cpu(); // [B, 1, H, W]
            var indices = Enumerable.Range(start, b).ToArray();
            Tensor Shares(Tensor f, out bool[] known) =>                                          // [B, K]: each concept's share of its sample's region
                (segmenter.Segment(g.SynthesizeFrom(layer, f, ws, noise), indices, out known).cpu().to(float32) * pixels).sum(new long[] { 2, 3 }) / pixels.sum(new long[] { 2, 3 });
            var before = Shares(features, out bool[] known);
            var keep = tensor(known).to(float32).unsqueeze(1);                                  // [B, 1]
            for (int u = 0; u < units; u++)
            {
                var inserted = SetUnits(features, region, new[] { u }, new[] { activeLevels[u] });
                var removed = SetUnits(features, region, new[] { u });
                insert[u].add_(((Shares(inserted, out _) - before) * keep).sum(new long[] { 0 }).to(float64));
                remove[u].add_(((Shares(removed, out _) - before) * keep).sum(new long[] { 0 }).to(float64));
            }
            measured += known.Count(k => k);
            progress?.Report(new DissectionProgress(3, start + b, samples));
        }
        double[][] Rows(Tensor sums)
        {
            using var mean = sums / Math.Max(1, measured);
            return Enumerable.Range(0, units).Select(u => mean[u].data<double>().ToArray()).ToArray();
        }
        var result = (Rows(insert), Rows(remove), measured);
        insert.Dispose(); remove.Dispose();
        return result;
    }
}
