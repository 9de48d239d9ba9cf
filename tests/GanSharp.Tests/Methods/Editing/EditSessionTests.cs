using GanSharp.Methods.Editing;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Tests.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Editing;

public class EditSessionTests
{
    public EditSessionTests() => TorchRuntime.EnsureInitialized();

    static StyleGan2Generator Tiny()
    {
        manual_seed(11);
        var g = new StyleGan2Generator(new StyleGanConfig(Resolution: 16, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 8));
        g.ComputeMeanLatent(64, new Generator(12));
        return g;
    }

    /// <summary>A hand-made dissection of layer 1 (8 units): concept "a" ranks units 2, 5, 7 first; "b" units 0, 1.</summary>
    static DissectionResult Dissected()
    {
        var units = Enumerable.Range(0, 8).Select(u => new UnitScore(u, 0.5, 2.0 + u, u is 2 or 5 or 7 ? "a" : "b", 0.1)).ToArray();
        var iou = Enumerable.Range(0, 8).Select(u => new[] { u is 2 or 5 or 7 ? 0.3 - 0.01 * u : 0.01, u < 2 ? 0.2 : 0.0 }).ToArray();
        var concepts = new[]
        {
            new ConceptScore("a", 0.1, Enumerable.Range(0, 8).Select(u => new RankedUnit(u, iou[u][0])).OrderByDescending(r => r.Iou).ThenBy(r => r.Unit).ToArray()),
            new ConceptScore("b", 0.1, Enumerable.Range(0, 8).Select(u => new RankedUnit(u, iou[u][1])).OrderByDescending(r => r.Iou).ThenBy(r => r.Unit).ToArray()),
        };
        return new DissectionResult(1, 10, 1, 0.01, "test", new[] { "a", "b" }, units, concepts, iou);
    }

    static Tensor Photo(IGenerator g)
    {
        using var _ = no_grad();
        return g.Generate(g.SampleLatents(1, new Generator(13)), noise: ((IStyleGenerator)g).MakeNoise(1, new Generator(14)));
    }

    static PaintOptions Fast => new(Units: 3, InvertSteps: 20, FeatureSteps: 10, FitSteps: 30, RenderSteps: 20, FitLearningRate: 0.02);

    [Fact]
    public void RemoveZeroesExactlyTheConceptUnitsInsideTheMask()
    {
        using var scope = NewDisposeScope();
        var g = Tiny();
        using var session = EditSession.Fit(g, Dissected(), Photo(g), Fast);
        var features = randn(1, 11, 8, 8) + 3;           // 8 units + the partial RGB image, all nonzero
        var layerMask = zeros(1, 1, 8, 8);
        layerMask[.., .., 2..5, 3..6] = 1;
        var units = session.Dissection.TopUnits("a", 3);
        Assert.Equal(new[] { 2, 5, 7 }, units);
        var removed = session.EditFeatures(features, layerMask, units, PaintAction.Remove);
        var changed = removed.ne(features);                                           // [1, 11, 8, 8]
        foreach (int u in units)
        {
            Assert.True(removed[0, u, 2..5, 3..6].eq(0).all().item<bool>(), $"unit {u} inside");
            Assert.Equal(9, changed[0, u].sum().item<long>());                           // only the 3×3 cells
        }
        Assert.Equal(27, changed.sum().item<long>());                                    // no other unit, no RGB channel
        var inserted = session.EditFeatures(features, layerMask, units, PaintAction.Insert);
        Assert.True(inserted[0, 5, 2..5, 3..6].eq(7.0f).all().item<bool>());            // the unit's active level (2 + 5)
        Assert.True(GradCheck.Same(inserted[0, 5, 0..2], features[0, 5, 0..2]));
    }

    /// <summary>With causal effects in the dissection, an edit sets the units that move the concept most for that action, not the IoU's.</summary>
    [Fact]
    public void EditsSetTheUnitsWithTheLargestCausalEffectForTheAction()
    {
        using var scope = NewDisposeScope();
        var g = Tiny();
        // Concept "a": inserting units 6, 0, 3 raises it most; removing units 1, 4, 2 lowers it most.
        double[] insertA = { 0.2, 0.0, 0.01, 0.1, 0.0, 0.0, 0.3, 0.02 }, removeA = { 0.0, -0.3, -0.1, 0.0, -0.2, 0.0, 0.0, 0.0 };
        var causal = Dissected() with
        {
            InsertEffects = insertA.Select(v => new[] { v, -v }).ToArray(), RemoveEffects = removeA.Select(v => new[] { v, -v }).ToArray(), CausalSamples = 10,
        };
        using var session = EditSession.Fit(g, causal, Photo(g), Fast with { FeatureSteps = 0, FitSteps = 0 });
        var mask = zeros(16, 16);
        mask[4..12, 4..12] = 1;
        using (var inserted = session.Preview(mask, "a", PaintAction.Insert)) Assert.Equal(new[] { 6, 0, 3 }, inserted.Units);
        using (var removed = session.Preview(mask, "a", PaintAction.Remove)) Assert.Equal(new[] { 1, 4, 2 }, removed.Units);
        using var withoutEffects = EditSession.Fit(g, Dissected(), Photo(g), Fast with { FeatureSteps = 0, FitSteps = 0 });
        using (var byIou = withoutEffects.Preview(mask, "a", PaintAction.Insert)) Assert.Equal(new[] { 2, 5, 7 }, byIou.Units);
    }

    [Fact]
    public void ZeroPerturbationIsTheOriginalGeneratorAndTheFitLowersTheError()
    {
        using var scope = NewDisposeScope();
        var g = Tiny();
        var photo = Photo(g);
        using (no_grad())
        {
            var ws = g.Map(g.SampleLatents(2, new Generator(15)));
            var noise = g.MakeNoise(2, new Generator(16));
            var f = g.FeaturesAt(1, ws, noise);
            Assert.True(GradCheck.Same(g.SynthesizeFrom(1, f, ws, noise), g.SynthesizeFrom(1, f, ws, noise, (b, x) => x * (1 + zeros(1))))); // δ = 0
        }
        // The photo is the generator's own image with other noise, then changed in one corner: not exactly reachable.
        var target = photo.clone();
        target[.., .., ..6, ..6] = 0.8f;
        using var unfitted = EditSession.Fit(g, Dissected(), target, Fast with { FitSteps = 0 });
        using var fitted = EditSession.Fit(g, Dissected(), target, Fast with { FitSteps = 80 });
        double Error(EditSession s) => (s.Reconstruction() - target).abs().mean().item<float>();
        Assert.True(Error(fitted) < 0.9 * Error(unfitted), $"fit: {Error(fitted):0.0000} vs {Error(unfitted):0.0000}");
    }

    [Fact]
    public void AnEmptyMaskLeavesThePhotoAndAnEditStaysInsideTheFeatheredMask()
    {
        using var scope = NewDisposeScope();
        var g = Tiny();
        var photo = Photo(g);
        using var session = EditSession.Fit(g, Dissected(), photo, Fast);
        using (var none = session.Preview(zeros(16, 16), "a", PaintAction.Insert))
            Assert.True(GradCheck.Same(none.Edited, session.Image));
        var mask = zeros(16, 16);
        mask[6..10, 6..10] = 1;
        foreach (var edit in new[] { session.Preview(mask, "a", PaintAction.Insert), session.Render(mask, "a", PaintAction.Remove) })
            using (edit)
            {
                var outside = EditSession.FeatherMask(mask.reshape(1, 1, 16, 16), session.Options.Feather).eq(0).expand(1, 3, -1, -1);
                Assert.True(edit.Edited.masked_select(outside).equal(session.Image.masked_select(outside)).all().item<bool>(), "pixels outside the feathered mask are the photo's");
                Assert.True(edit.Edited[.., .., 6..10, 6..10].ne(session.Image[.., .., 6..10, 6..10]).any().item<bool>(), "the edit changes the masked pixels");
                Assert.Equal(new[] { 2, 5, 7 }, edit.Units);
            }
        Assert.Throws<GanSharpException>(() => session.Preview(mask, "unicorn", PaintAction.Insert));
        Assert.Throws<GanSharpException>(() => session.Preview(zeros(8, 8), "a", PaintAction.Insert));
    }

    [Fact]
    public void RepeatedPreviewsDoNotLeakTensors()
    {
        var g = Tiny();
        var photo = Photo(g);
        using var session = EditSession.Fit(g, Dissected(), photo, Fast);
        var mask = zeros(16, 16);
        mask[4..8, 4..8] = 1;
        void Previews(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                session.Preview(mask, i % 2 == 0 ? "a" : "b", i % 3 == 0 ? PaintAction.Remove : PaintAction.Insert).Dispose();
            }
        }
        Previews(5); // warm-up
        GC.Collect(); GC.WaitForPendingFinalizers();
        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        Previews(40);
        GC.Collect(); GC.WaitForPendingFinalizers();
        long after = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        Assert.True(after - before <= 2, $"live tensors grew from {before} to {after} over 40 previews");
    }
}
