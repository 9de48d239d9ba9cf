using GanSharp.Data;
using TorchSharp;
using GanSharp.Methods.Translation;
using GanSharp.Methods.Translation.CycleGan;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Translation;

public class CycleGanTests
{
    /// <summary>
    /// Colour blobs on black: one disc per image with a reddish colour (R high, B low, G random). With
    /// <c>swapped</c> the red and blue channels are exchanged (bluish discs): domain B, whose true A → B map is the swap.
    /// </summary>
    internal sealed class Blobs(bool swapped, int count = 64, int size = 32, int seed = 0) : IImageDataset
    {
        public string Name => swapped ? "blobs-rb-swapped" : "blobs";
        public int Count => count;
        public int Channels => 3;
        public int Height => size;
        public int Width => size;
        public IReadOnlyList<string> ClassNames => Array.Empty<string>();
        public void CopyPixels(int index, Span<float> destination)
        {
            var r = new Random(seed * 7919 + index);
            float red = 0.3f + 0.7f * r.NextSingle(), green = 2 * r.NextSingle() - 1, blue = -1f + 0.6f * r.NextSingle();
            if (swapped) (red, blue) = (blue, red);
            float cx = size * (0.3f + 0.4f * r.NextSingle()), cy = size * (0.3f + 0.4f * r.NextSingle()), rad = size * (0.15f + 0.15f * r.NextSingle());
            int plane = size * size;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool inside = (x + 0.5f - cx) * (x + 0.5f - cx) + (y + 0.5f - cy) * (y + 0.5f - cy) <= rad * rad;
                    destination[y * size + x] = inside ? red : -1f;
                    destination[plane + y * size + x] = inside ? green : -1f;
                    destination[2 * plane + y * size + x] = inside ? blue : -1f;
                }
        }
        public int LabelOf(int index) => -1;
        public string IdOf(int index) => "#" + index;
    }

    static CycleGanConfig Tiny(int size = 32) => new(Channels: 3, Size: size, Width: 8, Blocks: 1, DiscriminatorWidth: 8);

    [Fact]
    public void CycleAndIdentityTermsMatchHandComputedValues()
    {
        var real = tensor(new float[] { 0.5f, -1f, 0.25f, 1f }).reshape(1, 1, 2, 2);    // [1, 1, 2, 2]
        var recon = tensor(new float[] { 0.25f, -0.5f, 0.25f, 0f }).reshape(1, 1, 2, 2); // |diff| = 0.25, 0.5, 0, 1 → mean 0.4375
        Assert.Equal(10 * 0.4375, CycleGanLosses.Cycle(real, recon, 10).item<float>(), 5);
        Assert.Equal(0.5 * 10 * 0.4375, CycleGanLosses.Identity(real, recon, 10, 0.5).item<float>(), 5);
        Assert.Equal(0, CycleGanLosses.Cycle(real, real, 10).item<float>());
        var scores = tensor(new float[] { 0f, 1f, 3f });                                  // (0−1)² + 0 + (3−1)² = 5 → mean 5/3
        Assert.Equal(5.0 / 3, CycleGanLosses.GeneratorAdversarial(scores).item<float>(), 5);
        // ½·mean((real−1)²) + ½·mean(fake²): real {1, 0} → ½·(0 + 1)/2 = 0.25; fake {2} → ½·4 = 2.
        Assert.Equal(2.25, CycleGanLosses.DiscriminatorAdversarial(tensor(new float[] { 1f, 0f }), tensor(new float[] { 2f })).item<float>(), 5);
    }

    [Fact]
    public void HistoryPoolReturnsInputsWhileFillingThenStoredFakesAboutHalfTheTime()
    {
        TorchRuntime.EnsureInitialized();
        using var pool = new ImageHistoryPool(50, 1, 1, 1);
        var rng = new Generator(7);
        float next = 0;
        Tensor Batch(int n) { var t = arange(next, next + n, dtype: float32).reshape(n, 1, 1, 1); next += n; return t; }
        for (int i = 0; i < 5; i++) // 50 images fill the pool exactly; all come back unchanged
        {
            var x = Batch(10);
            Assert.True(pool.Query(x, rng).eq(x).all().item<bool>());
        }
        Assert.Equal(50, pool.Count);
        int stored = 0, total = 0;
        var seen = new HashSet<float>();
        for (int i = 0; i < 200; i++)
        {
            var x = Batch(10);
            var y = pool.Query(x, rng).flatten().data<float>().ToArray();
            var inputs = x.flatten().data<float>().ToArray();
            for (int k = 0; k < 10; k++)
            {
                total++;
                if (y[k] != inputs[k])
                {
                    stored++;
                    Assert.True(y[k] < inputs[k], "a stored fake is an earlier image");
                    Assert.True(seen.Add(y[k]), "a stored fake is handed out once (its slot then holds the query)");
                }
            }
        }
        Assert.Equal(50, pool.Count);
        double fraction = (double)stored / total; // Binomial(2000, ½): σ ≈ 0.011
        Assert.InRange(fraction, 0.45, 0.55);
        using var off = new ImageHistoryPool(0, 1, 1, 1);
        var z = Batch(3);
        Assert.True(off.Query(z, rng).eq(z).all().item<bool>());
    }

    [Theory]
    [InlineData(32, 2)]
    [InlineData(64, 6)]
    public void GeneratorKeepsTheShapeAndThePatchGanScoresPatches(int size, int scores)
    {
        TorchRuntime.EnsureInitialized();
        var config = new CycleGanConfig(Size: size, Width: 4, Blocks: 6, DiscriminatorWidth: 4);
        using var g = new ResnetGenerator(config);
        using var d = new PatchDiscriminator(config);
        using var _ = no_grad();
        var x = rand(2, 3, size, size) * 2 - 1; // [2, 3, S, S]
        var y = g.call(x);
        Assert.Equal(new long[] { 2, 3, size, size }, y.shape);
        Assert.True(y.abs().max().item<float>() <= 1f);
        Assert.Equal(new long[] { 2, 1, scores, scores }, d.call(x).shape);
        Assert.Equal(scores, d.ScoreSize(size));
        Assert.Equal(70, PatchDiscriminator.ReceptiveField(3));
        Assert.Equal(34, PatchDiscriminator.ReceptiveField(2));
    }

    [Fact]
    public void TrainingWithoutDomainBIsRefused()
    {
        TorchRuntime.EnsureInitialized();
        using var method = new CycleGanMethod(Tiny(), new CycleGanOptions(), CPU);
        using var loader = new GanSharp.Data.DataLoader(new Blobs(false, 8), new DataLoaderOptions(4, Prefetch: 0));
        using var batch = loader.Next();
        var e = Assert.Throws<GanSharpException>(() => method.TrainStep(batch, new StepContext(CPU, new Generator(1))));
        Assert.Contains("domain B", e.Message);
    }

    /// <summary>Mean |G_AB(a) − swap(a)| over the first 16 images of domain A.</summary>
    static double SwapError(ITranslator t)
    {
        var a = GanSharp.Data.DataLoader.LoadAll(new Subset(new Blobs(false, 64, SwapSize, seed: 1), Enumerable.Range(0, 16)));
        var b = GanSharp.Data.DataLoader.LoadAll(new Subset(new Blobs(true, 64, SwapSize, seed: 1), Enumerable.Range(0, 16)));
        return (t.Translate(a, TranslationDirection.AToB) - b).abs().mean().item<float>();
    }

    [Fact]
    public void LearnsTheRedBlueSwapOfTwoSyntheticDomains()
    {
        TorchRuntime.EnsureInitialized();
        TorchRuntime.SetThreads(1);
        using var dir = new ScratchFolder("cyclegan-swap");
        manual_seed(1);
        var data = new UnpairedDataset(new Blobs(false, 64, SwapSize), new Blobs(true, 64, SwapSize));
        // 16 px with two stride-2 discriminator layers (34×34 receptive field), a 10× learning rate: seconds on one thread.
        using var method = new CycleGanMethod(Tiny(SwapSize) with { DiscriminatorLayers = 2 }, new CycleGanOptions(LearningRate: 2e-3), CPU, data, seed: 1);
        double before = SwapError(method);
        var options = new TrainingOptions(Steps: Steps, BatchSize: 8, LogEvery: 10, SampleEvery: 0, CheckpointEvery: 0, SampleCount: 4, Prefetch: 0);
        var trainer = new Trainer(method, data, options, CPU);
        using var run = RunFolder.Create(dir.Combine("runs"), "cyclegan", "swap", trainer.ResolvedConfig(), tensorBoard: false);
        var result = trainer.Run(run);
        Assert.True(result.Completed);
        double after = SwapError(method);
        Assert.True(IdentityError() > Bound, "copying the input must not meet the bound");
        Console.WriteLine($"swap error: untrained {before:0.000}, after {Steps} steps {after:0.000}, identity map {IdentityError():0.000}");
        // An untrained G outputs ≈ 0 everywhere (error ≈ 0.95 on mostly black images); copying the input (the identity
        // map) scores ≈ 0.157. The bound asks for the swap to be learned, not just the copy (measured: ≈ 0.08 after 200
        // steps, 25 s on one loaded thread).
        Assert.True(before > Bound, $"untrained error {before:0.000} should exceed the bound {Bound}");
        Assert.True(after < Bound, $"error after {Steps} steps {after:0.000}, bound {Bound} (untrained {before:0.000})");
    }

    static double IdentityError() => SwapError(new IdentityTranslator());

    sealed class IdentityTranslator : ITranslator
    {
        public Tensor Translate(Tensor images, TranslationDirection direction) => images.clone();
    }

    /// <summary>Records the size it was given and maps x to 2x − 0.25 (so the clamp to [-1, 1] shows).</summary>
    sealed class RecordingTranslator : ITranslator
    {
        public List<long[]> Seen { get; } = new();
        public Tensor Translate(Tensor images, TranslationDirection direction)
        {
            Seen.Add(images.shape);
            return images * 2 - 0.25;
        }
    }

    sealed class NoOwner : IDisposable
    {
        public void Dispose() { }
    }

    [Fact]
    public void TranslateAnySizeResizesToTheTranslatorsSizeAndBack()
    {
        var inner = new RecordingTranslator();
        using var loaded = new LoadedTranslator(inner, new NoOwner(), new GanSharp.Models.ImageShape(3, 16, 16), "test", 0);
        var own = rand(2, 3, 16, 16) - 0.5;
        Assert.Equal(0f, (loaded.TranslateAnySize(own, TranslationDirection.AToB) - (own * 2 - 0.25).clamp(-1, 1)).abs().max().item<float>()); // its own size: untouched
        var constant = full(new long[] { 1, 3, 8, 12 }, 0.3f);                                         // smaller and oblong
        var y = loaded.TranslateAnySize(constant, TranslationDirection.BToA);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, inner.Seen[0]);
        Assert.Equal(new long[] { 1, 3, 16, 16 }, inner.Seen[1]);                                      // translated at 16 × 16…
        Assert.Equal(new long[] { 1, 3, 8, 12 }, y.shape);                                             // …and returned at its size
        Assert.True((y - 0.35f).abs().max().item<float>() < 1e-5f);                                    // bilinear keeps a constant
        Assert.Equal(1f, loaded.TranslateAnySize(full(new long[] { 1, 3, 4, 4 }, 0.9f), TranslationDirection.AToB).max().item<float>(), 5); // clamped
    }

    internal const int SwapSize = 16;
    internal const int Steps = 200;
    internal const double Bound = 0.12;

    [Fact]
    public void TrainsFromTwoDomainsWithSampleGridsAndExactResume()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("cyclegan-resume");
        var data = new UnpairedDataset(new Blobs(false, 24), new Blobs(true, 12)); // B is cycled: the two loaders differ
        var o = new TrainingOptions(Steps: 6, BatchSize: 4, LogEvery: 1, SampleEvery: 0, CheckpointEvery: 3, KeepCheckpoints: 0, SampleCount: 3,
            Prefetch: 0);
        IReadOnlyList<StatsRecord> Run(string root, long steps, string? resume)
        {
            manual_seed(3);
            using var method = new CycleGanMethod(Tiny() with { Blocks = 1 }, new CycleGanOptions(PoolSize: 5), CPU, data, seed: 3);
            var trainer = new Trainer(method, data, o with { Steps = steps }, CPU);
            using var run = resume == null ? RunFolder.Create(root, "cyclegan", "s", trainer.ResolvedConfig(), tensorBoard: false)
                : RunFolder.Open(Directory.GetDirectories(root).Single(), tensorBoard: false);
            var result = trainer.Run(run, resume);
            Assert.True(result.Completed);
            return StatsLog.Read(run.StatsPath);
        }
        var full = Run(dir.Combine("a"), 6, null);
        Assert.All(full.Where(s => s.Event == null), s =>
        {
            foreach (var key in new[] { "d_loss", "g_loss", "cycle_a", "cycle_b", "idt_a", "idt_b", "d_a", "d_b" }) Assert.True(double.IsFinite(s.Scalars[key]), key);
        });
        // The paper's schedule is the loop's LinearDecay over the second half: factor 1 for steps 0..2, then (6 − step)/3.
        var decay = o with { Schedule = LrSchedule.LinearDecay, DecayFraction = 0.5 };
        Assert.Equal(1.0, decay.LrFactor(2), 9);
        Assert.Equal(2.0 / 3, decay.LrFactor(4), 9);
        var runA = Directory.GetDirectories(dir.Combine("a")).Single();
        var grid = Directory.GetFiles(Path.Combine(runA, "samples"), "*.png").Single();
        using (var img = SkiaSharp.SKBitmap.Decode(grid)) Assert.True(img.Height > img.Width, "six rows of three samples");
        Run(dir.Combine("b"), 3, null);
        var resumed = Run(dir.Combine("b"), 6, Path.Combine(Directory.GetDirectories(dir.Combine("b")).Single(), "checkpoints", "step-000000003"));
        double[] Tail(IReadOnlyList<StatsRecord> s, string key) => s.Where(r => r.Event == null && r.Step > 3).OrderBy(r => r.Step).Select(r => r.Scalars[key]).ToArray();
        foreach (var key in new[] { "d_loss", "g_loss", "cycle_a", "d_b" }) Assert.Equal(Tail(full, key), Tail(resumed, key));
        // The checkpoint holds both loader positions and the pools.
        var checkpoint = Path.Combine(runA, "checkpoints", "step-000000003");
        var reader = GanSharp.Checkpoints.CheckpointReader.Open(checkpoint);
        var state = reader.ReadJson<TrainerState>(Trainer.TrainerStateName);
        Assert.NotNull(state.EpochB);
        Assert.NotNull(state.BatchB);
        Assert.True(reader.Has(GanSharp.Checkpoints.CheckpointFileKind.Module, "pool_a"));
        using var translator = CycleGanCheckpoint.Load(Path.Combine(runA, "checkpoints", "step-000000006"));
        var x = GanSharp.Data.DataLoader.LoadAll(new Subset(new Blobs(false, 4), Enumerable.Range(0, 2)));
        Assert.Equal(x.shape, translator.Translate(x, TranslationDirection.BToA).shape);
    }
}
