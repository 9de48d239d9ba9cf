using GanSharp.Methods.Editing;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Editing;

public class DissectionTests
{
    public DissectionTests() => TorchRuntime.EnsureInitialized();

    /// <summary>A 16 px StyleGAN2 with 8 channels per layer, weights from <paramref name="seed"/>.</summary>
    static StyleGan2Generator Tiny(int seed)
    {
        manual_seed(seed);
        return new StyleGan2Generator(new StyleGanConfig(Resolution: 16, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 8));
    }

    [Fact]
    public void ThresholdsLeaveTheTopFractionAbove()
    {
        using var scope = NewDisposeScope();
        // Unit 0: 0..999; unit 1: 1000..1 (reversed); unit 2: constant.
        var values = stack(new[] { arange(1000, dtype: float32), arange(1000, 0, -1, dtype: float32), full(1000, 7f) });
        var t = Dissection.Thresholds(values, 0.01);
        Assert.Equal(new[] { 989.0, 990.0, 7.0 }, t);
        Assert.Equal(10, values[0].gt(t[0]).sum().item<long>()); // exactly 1 % above
        Assert.Equal(10, values[1].gt(t[1]).sum().item<long>());
    }

    [Fact]
    public void IouMatchesAHandCountedExample()
    {
        using var scope = NewDisposeScope();
        // 2 images of 4 pixels; unit 0 fires on pixels {0, 1} of image 0; unit 1 on pixel 3 of both images.
        var on = zeros(2, 2, 4);
        on[0, 0, 0] = 1; on[0, 0, 1] = 1;
        on[0, 1, 3] = 1; on[1, 1, 3] = 1;
        // Concept A: pixels {1, 2} of image 0; concept B: pixel 3 of image 1.
        var masks = zeros(2, 2, 4);
        masks[0, 0, 1] = 1; masks[0, 0, 2] = 1;
        masks[1, 1, 3] = 1;
        var inter = Dissection.Intersections(on, masks);
        var iou = Dissection.Iou(inter, on.sum(new long[] { 0, 2 }).to(float64), masks.sum(new long[] { 0, 2 }).to(float64));
        // unit 0 / A: |{1}| / |{0,1,2}| = 1/3; unit 0 / B: 0; unit 1 / A: 0; unit 1 / B: 1 / |{0:3, 1:3}| = 1/2.
        Assert.Equal(new[] { 1.0 / 3, 0, 0, 0.5 }, iou.flatten().data<double>().ToArray(), new ToleranceComparer(1e-12));
    }

    sealed class ToleranceComparer(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(double x) => 0;
    }

    [Fact]
    public void ADissectionOfATinyGeneratorRoundTripsAndNamesUnknownConcepts()
    {
        using var scope = NewDisposeScope();
        var g = Tiny(1);
        var options = new DissectionOptions(Layer: 1, Samples: 20, BatchSize: 7);
        var r = Dissection.Run(g, new EmojiColorSegmenter(), options);
        Assert.Equal(8, r.Units.Count);                     // 8 maps at 8 px; the partial RGB image is not a unit
        Assert.Equal(11, r.Concepts.Count);
        Assert.Equal(1.0, r.ConceptScores.Sum(c => c.Coverage), 6); // the colour concepts partition the pixels
        Assert.All(r.Units, u => Assert.InRange(u.Iou, 0, 1));
        Assert.All(r.Units, u => Assert.True(u.ActiveLevel > u.Threshold));
        // The same seed gives the same statistics, whatever the batch size.
        var again = Dissection.Run(g, new EmojiColorSegmenter(), options with { BatchSize = 20 });
        Assert.Equal(r.Units.Select(u => u.Threshold), again.Units.Select(u => u.Threshold));
        for (int u = 0; u < r.Units.Count; u++) Assert.Equal(r.Iou[u], again.Iou[u], new ToleranceComparer(1e-9));

        using var dir = new ScratchFolder("dissection");
        r.Save(dir.Path);
        var loaded = DissectionResult.Load(dir.Path);
        Assert.Equal(r.Units, loaded.Units);
        Assert.Equal(r.TopUnits("yellow", 3), loaded.TopUnits("yellow", 3));
        var e = Assert.Throws<GanSharpException>(() => loaded.Concept("unicorn"));
        Assert.Contains("yellow", e.Hint ?? e.Message);
        File.WriteAllText(dir.Combine(DissectionResult.FileName), "{ not json");
        Assert.Throws<GanSharpException>(() => DissectionResult.Load(dir.Path));
    }

    /// <summary>
    /// The causal pass (GAN Dissection §3.2): each effect equals the intervention computed by hand (the unit set to its
    /// active level, or to 0, inside each sample's square, and the concept's share of the square compared with the unedited
    /// sample's); GAN Paint's units for an action are ranked by it, IoU stays the ranking without an action or without
    /// effects (an older file, or user masks); the effects survive a save and load.
    /// </summary>
    [Fact]
    public void CausalEffectsAreInterventionsAndRankTheUnitsGanPaintSets()
    {
        using var scope = NewDisposeScope();
        var g = Tiny(2);
        var options = new DissectionOptions(Layer: 1, Samples: 12, BatchSize: 5, CausalSamples: 6);
        var segmenter = new EmojiColorSegmenter();
        var r = Dissection.Run(g, segmenter, options);
        Assert.True(r.HasCausalEffects);
        Assert.Equal(6, r.CausalSamples);
        Assert.Equal(r.Units.Count, r.InsertEffects!.Length);
        Assert.All(r.InsertEffects.Concat(r.RemoveEffects!), row => Assert.Equal(r.Concepts.Count, row.Length));
        Assert.Contains(r.InsertEffects.SelectMany(row => row), v => Math.Abs(v) > 1e-3); // interventions that change something
        // Every concept's shares partition the region, so the changes sum to 0 for every unit.
        Assert.All(r.InsertEffects.Concat(r.RemoveEffects!), row => Assert.Equal(0, row.Sum(), 6));

        // Unit 3 by hand, over the 6 samples.
        int unit = 3;
        using (no_grad())
        {
            var (ws, noise) = Dissection.SampleInputs(g, options.Seed, 0, 6, CPU);
            var f = g.FeaturesAt(1, ws, noise);                                      // [6, C, 8, 8]
            var region = Dissection.CausalRegions(8, options.Seed, 0, 6);            // [6, 1, 8, 8]: one 4×4 square per sample
            Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(16, region[i].sum().item<float>()));
            Assert.True(allclose(Dissection.CausalRegions(8, options.Seed, 2, 3), region[2..5]), "sample i's region does not depend on the batch");
            Assert.False(allclose(region[0], region[1]) && allclose(region[1], region[2]) && allclose(region[2], region[3]), "the squares move");
            var pixels = nn.functional.interpolate(region, new long[] { 16, 16 }, mode: InterpolationMode.Nearest);
            double[] Share(Tensor features) =>
                ((EmojiColorSegmenter.Segment(g.SynthesizeFrom(1, features, ws, noise)) * pixels).sum(new long[] { 2, 3 }) / 64).mean(new long[] { 0 }).to(float64).data<double>().ToArray();
            var before = Share(f);
            var inserted = f.clone();
            inserted[.., unit] = f[.., unit] * (1 - region[.., 0]) + region[.., 0] * (float)r.Units[unit].ActiveLevel;
            var removed = f.clone();
            removed[.., unit] = f[.., unit] * (1 - region[.., 0]);
            var (ins, rem) = (Share(inserted), Share(removed));
            Assert.Contains(ins.Zip(before), p => Math.Abs(p.First - p.Second) > 1e-3);
            for (int k = 0; k < r.Concepts.Count; k++)
            {
                Assert.Equal(ins[k] - before[k], r.InsertEffects[unit][k], 5);
                Assert.Equal(rem[k] - before[k], r.RemoveEffects![unit][k], 5);
            }
        }

        // Ranking: by the effect for an action, by IoU otherwise.
        int c = r.Concepts.ToList().IndexOf("yellow");
        var byInsert = r.TopUnits("yellow", 3, PaintAction.Insert);
        Assert.Equal(Enumerable.Range(0, r.Units.Count).OrderByDescending(u => r.InsertEffects![u][c]).ThenBy(u => u).Take(3), byInsert);
        Assert.Equal(Enumerable.Range(0, r.Units.Count).OrderBy(u => r.RemoveEffects![u][c]).ThenBy(u => u).Take(3), r.TopUnits("yellow", 3, PaintAction.Remove));
        Assert.Equal(r.ConceptScores.Single(x => x.Concept == "yellow").Units.Take(3).Select(u => u.Unit), r.TopUnits("yellow", 3));
        var iouOnly = r with { InsertEffects = null, RemoveEffects = null, CausalSamples = 0 };
        Assert.Equal(r.TopUnits("yellow", 3), iouOnly.TopUnits("yellow", 3, PaintAction.Insert));
        Assert.Equal(c, r.ConceptIndex("Yellow"));
        Assert.Equal(r.RemoveEffects![unit][c], r.Effect("yellow", unit, PaintAction.Remove));
        Assert.Throws<GanSharpException>(() => iouOnly.Effect("yellow", unit, PaintAction.Insert));

        using var dir = new ScratchFolder("dissection-causal");
        r.Save(dir.Path);
        var loaded = DissectionResult.Load(dir.Path);
        Assert.Equal(byInsert, loaded.TopUnits("yellow", 3, PaintAction.Insert));
        Assert.Equal(r.InsertEffects![unit], loaded.InsertEffects![unit]);
        // A file from before the causal pass (no such fields) loads and ranks by IoU.
        var old = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.Combine(DissectionResult.FileName)))!.AsObject();
        old.Remove("insertEffects"); old.Remove("removeEffects"); old.Remove("causalSamples");
        File.WriteAllText(dir.Combine(DissectionResult.FileName), old.ToJsonString());
        var before2 = DissectionResult.Load(dir.Path);
        Assert.False(before2.HasCausalEffects);
        Assert.Equal(r.TopUnits("yellow", 3), before2.TopUnits("yellow", 3, PaintAction.Insert));
        // Effects of the wrong shape are refused.
        old["insertEffects"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonArray(1.0));
        File.WriteAllText(dir.Combine(DissectionResult.FileName), old.ToJsonString());
        Assert.Throws<GanSharpException>(() => DissectionResult.Load(dir.Path));
    }

    /// <summary>User masks belong to the unedited samples: the causal pass is skipped (and refused when asked for directly).</summary>
    [Fact]
    public void UserMasksCannotMeasureCausalEffects()
    {
        using var scope = NewDisposeScope();
        var g = Tiny(3);
        using var dir = new ScratchFolder("user-masks");
        Directory.CreateDirectory(dir.Combine("0"));
        var mask = zeros(16, 16);
        mask[..8] = 1;
        GanSharp.Imaging.ImageWriter.WritePng((mask * 2 - 1).unsqueeze(0), dir.Combine("0", "sky.png"));
        var masks = new UserMaskSegmenter(dir.Path);
        Assert.False(((ISegmenter)masks).ReadsImages);
        var r = Dissection.Run(g, masks, new DissectionOptions(Layer: 1, Samples: 3, BatchSize: 3));
        Assert.False(r.HasCausalEffects);
        Assert.Throws<GanSharpException>(() => Dissection.CausalEffects(g, masks, 1, r.Units.Select(u => u.ActiveLevel).ToArray(), 1, 3, 3));
    }
}
