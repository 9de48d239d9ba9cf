using GanSharp.Data;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Data;

public class DataLoaderTests
{
    public DataLoaderTests() => TorchRuntime.EnsureInitialized();

    static float[] FirstPixels(Batch b) => b.Images.select(1, 0).select(1, 0).select(1, 0).data<float>().ToArray();

    [Fact]
    public void BatchesHaveShapesDtypesAndValues()
    {
        using var scope = NewDisposeScope();
        var ds = new SyntheticDataset(10, channels: 3, size: 5);
        using var loader = new DataLoader(ds, new DataLoaderOptions(BatchSize: 4, Shuffle: false, Prefetch: 0));
        Assert.Equal(3, loader.BatchesPerEpoch);
        var batches = loader.ReadEpoch().ToList();
        Assert.Equal(new[] { 4, 4, 2 }, batches.Select(b => b.Count));
        Assert.Equal(new long[] { 4, 3, 5, 5 }, batches[0].Images.shape);
        Assert.Equal(ScalarType.Float32, batches[0].Images.dtype);
        Assert.Equal(new long[] { 2 }, batches[2].Labels.shape);
        Assert.Equal(ScalarType.Int64, batches[2].Labels.dtype);
        Assert.Equal(new long[] { 8 % 3, 9 % 3 }, batches[2].Labels.data<long>().ToArray());
        // Every pixel of item i holds i / 1000: the copy put each sample in its own slot.
        Assert.Equal(new[] { 8 / 1000f, 9 / 1000f }, FirstPixels(batches[2]));
        Assert.Equal(9 / 1000f, batches[2].Images[1].min().item<float>());
        Assert.Equal(9 / 1000f, batches[2].Images[1].max().item<float>());
        Assert.Equal(new LoaderPosition(1, 0), loader.Position);
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void DropLastSkipsTheShortBatch()
    {
        var ds = new SyntheticDataset(10);
        using var loader = new DataLoader(ds, new DataLoaderOptions(BatchSize: 4, DropLast: true));
        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Throws<GanSharpException>(() => new DataLoader(ds, new DataLoaderOptions(BatchSize: 11, DropLast: true)));
        Assert.Throws<GanSharpException>(() => new DataLoader(ds, new DataLoaderOptions(BatchSize: 0)));
    }

    [Fact]
    public void OrderIsTheSameWithAndWithoutPrefetchAndChangesPerEpoch()
    {
        var ds = new SyntheticDataset(23);
        List<int[]> Run(int prefetch)
        {
            using var loader = new DataLoader(ds, new DataLoaderOptions(BatchSize: 5, Seed: 11, Prefetch: prefetch));
            var seen = new List<int[]>();
            for (int i = 0; i < 12; i++)
            {
                using var b = loader.Next();
                Assert.Equal(b.Indices.Select(SyntheticDataset.ValueOf), FirstPixels(b));
                seen.Add(b.Indices.ToArray());
            }
            return seen;
        }
        var sync = Run(0);
        Assert.Equal(sync, Run(1));
        Assert.Equal(sync, Run(4));
        var epoch0 = sync.Take(5).SelectMany(x => x).ToArray();
        var epoch1 = sync.Skip(5).Take(5).SelectMany(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 23), epoch0.OrderBy(x => x));
        Assert.Equal(Enumerable.Range(0, 23), epoch1.OrderBy(x => x));
        Assert.NotEqual(epoch0, epoch1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void SeekToASavedPositionResumesWithTheSameBatches(int prefetch)
    {
        var ds = new SyntheticDataset(17);
        var options = new DataLoaderOptions(BatchSize: 4, Seed: 5, Prefetch: prefetch);
        LoaderPosition saved;
        var expected = new List<int[]>();
        using (var loader = new DataLoader(ds, options))
        {
            for (int i = 0; i < 7; i++) loader.Next().Dispose();
            saved = loader.Position;
            Assert.Equal(new LoaderPosition(1, 2), saved);
            for (int i = 0; i < 6; i++)
            {
                using var b = loader.Next();
                expected.Add(b.Indices.ToArray());
            }
        }
        using var resumed = new DataLoader(ds, options);
        resumed.Seek(saved);
        for (int i = 0; i < 6; i++)
        {
            using var b = resumed.Next();
            Assert.Equal(expected[i], b.Indices);
        }
        // Seeking back on a running loader also restarts its prefetch at the new position.
        resumed.Seek(saved);
        using (var again = resumed.Next()) Assert.Equal(expected[0], again.Indices);
        Assert.Throws<GanSharpException>(() => resumed.Seek(new LoaderPosition(0, 5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AnExceptionInTheDatasetSurfacesWithItsMessage(int prefetch)
    {
        var ds = new SyntheticDataset(20) { FailAt = i => i == 13 ? new GanSharpException("image 13 is damaged: bad.png") : null };
        using var loader = new DataLoader(ds, new DataLoaderOptions(BatchSize: 4, Shuffle: false, Prefetch: prefetch));
        for (int i = 0; i < 3; i++) loader.Next().Dispose();
        var e = Assert.Throws<GanSharpException>(() => loader.Next());
        Assert.Equal("image 13 is damaged: bad.png", e.Message);
        Assert.Equal(new LoaderPosition(0, 3), loader.Position);
    }

    [Fact]
    public void CancellationStopsAWaitingNext()
    {
        using var gate = new ManualResetEventSlim(false);
        var ds = new SyntheticDataset(8) { FailAt = _ => { gate.Wait(TimeSpan.FromSeconds(10)); return null; } };
        using var loader = new DataLoader(ds, new DataLoaderOptions(BatchSize: 2, Prefetch: 1));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => loader.Next(cts.Token));
        Assert.Equal(new LoaderPosition(0, 0), loader.Position);
        gate.Set();
        using var b = loader.Next();
        Assert.Equal(2, b.Count);
    }

    [Fact]
    public void PairedLoadersStayAligned()
    {
        var a = new SyntheticDataset(12, idOf: i => "img" + i);
        var b = new SyntheticDataset(15, idOf: i => "img" + (14 - i));   // same ids, other order, 3 extra
        var paired = new PairedDataset(a, b);
        Assert.Equal(12, paired.Count);
        Assert.Equal(3, paired.UnmatchedB);
        var (la, lb) = paired.CreateLoaders(new DataLoaderOptions(BatchSize: 5, Seed: 9));
        using (la)
        using (lb)
            for (int k = 0; k < 6; k++)
            {
                using var ba = la.Next();
                using var bb = lb.Next();
                for (int i = 0; i < ba.Count; i++)
                    Assert.Equal(paired.A.IdOf(ba.Indices[i]), paired.B.IdOf(bb.Indices[i]));
            }
        Assert.Throws<GanSharpException>(() => new PairedDataset(a, new SyntheticDataset(3, idOf: i => "x" + i)));
    }

    [Fact]
    public void UnpairedLoadersDrawIndependentlyAndDeterministically()
    {
        var a = new SyntheticDataset(10);
        var b = new SyntheticDataset(4);
        var unpaired = new UnpairedDataset(a, b);
        Assert.Equal(10, unpaired.Count);
        List<(int, int)> Draw()
        {
            var (la, lb) = unpaired.CreateLoaders(new DataLoaderOptions(BatchSize: 5, Seed: 1, Prefetch: 0));
            using (la)
            using (lb)
            {
                var pairs = new List<(int, int)>();
                for (int k = 0; k < 4; k++)
                {
                    using var ba = la.Next();
                    using var bb = lb.Next();
                    pairs.AddRange(ba.Indices.Zip(bb.Indices.Select(i => unpaired.B.IdOf(i)[1..]).Select(int.Parse)).Select(p => (p.First, p.Second)));
                }
                return pairs;
            }
        }
        var first = Draw();
        Assert.Equal(first, Draw());
        // Every B item is seen at least twice per epoch (cycled 4 -> 10), and the pairing differs between epochs.
        Assert.All(first.Take(10).GroupBy(p => p.Item2), g => Assert.True(g.Count() >= 2));
        Assert.NotEqual(first.Take(10), first.Skip(10));
        Assert.Throws<GanSharpException>(() => new UnpairedDataset(a, new SyntheticDataset(4, size: 5)));
    }
}
