using GanSharp.Methods.Editing;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Editing;

public class DissectionTests
{
    public DissectionTests() => TorchRuntime.EnsureInitialized();

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
        manual_seed(1);
        var g = new StyleGan2Generator(new StyleGanConfig(Resolution: 16, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 8));
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
}
