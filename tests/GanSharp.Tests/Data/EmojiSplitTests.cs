using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class EmojiSplitTests
{
    static EmojiEntry Entry(string unified, string styles = "google,twitter", string? baseUnified = null) =>
        new(unified, unified, unified.ToLowerInvariant(), "Smileys & Emotion", "face", unified.ToLowerInvariant() + ".png", 0, baseUnified,
            styles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet());

    [Fact]
    public void HoldsOutEveryTenthSharedCodePointInOrdinalOrder()
    {
        // 25 shared code points in scrambled order, plus two that only one style draws (never ranked).
        var shared = Enumerable.Range(0, 25).Select(i => $"1F{0x600 + i:X3}").ToArray();
        var catalog = shared.Reverse().Select(u => Entry(u)).Append(Entry("1F5FF", "google")).Append(Entry("0023", "twitter")).ToList();
        var heldOut = EmojiSplit.HeldOutCodePoints(catalog);
        // Ordinal ranks 0, 10, 20 of the sorted shared list: 1F600, 1F60A, 1F614.
        Assert.Equal(new[] { "1F600", "1F60A", "1F614" }, heldOut);
        // Stable: any order of the catalog gives the same list.
        var shuffled = catalog.OrderBy(e => e.Unified.GetHashCode(StringComparison.Ordinal) ^ 12345).ToList();
        Assert.Equal(heldOut, EmojiSplit.HeldOutCodePoints(shuffled));
    }

    [Fact]
    public void SkinVariationsFollowTheirBaseAndAreNotRanked()
    {
        var catalog = new List<EmojiEntry> { Entry("1F44B"), Entry("1F44B-1F3FB", baseUnified: "1F44B"), Entry("1F44C") };
        var heldOut = EmojiSplit.HeldOutCodePoints(catalog).ToHashSet();
        Assert.Equal(new[] { "1F44B" }, heldOut);
        Assert.True(EmojiSplit.IsHeldOut(catalog[1], heldOut));
        Assert.False(EmojiSplit.IsHeldOut(catalog[2], heldOut));
    }

    [Fact]
    public void TrainAndHeldOutViewsOfTheBundledSetAreDisjointAndCoverIt()
    {
        string root = Path.Combine(Cli.DataCommandTests.Assets, "samples");
        var set = EmojiDataset.Open(SampleBundle.EmojiFolder(root, EmojiStyle.Google), EmojiStyle.Google);
        // The bundled catalog is trimmed, so rank within it: what matters here is how a catalog splits a dataset.
        var train = EmojiSplit.Apply(set, DatasetSplit.Train, set.Entries);
        var held = EmojiSplit.Apply(set, DatasetSplit.Test, set.Entries);
        var trainIds = Enumerable.Range(0, train.Count).Select(train.IdOf).ToHashSet();
        var heldIds = Enumerable.Range(0, held.Count).Select(held.IdOf).ToHashSet();
        Assert.Empty(trainIds.Intersect(heldIds));
        Assert.Equal(set.Count, trainIds.Count + heldIds.Count);
        Assert.Equal((set.Count + 9) / 10, heldIds.Count);
        Assert.Equal("emoji-google-train", train.Name);
        Assert.Equal("emoji-google-heldout", held.Name);
    }

    [Fact]
    public void BundledSamplesSplitByTheirHeldOutListAndRefuseWithoutIt()
    {
        var samples = Path.Combine(Cli.DataCommandTests.Assets, "samples");
        var o = new DatasetResolveOptions(Size: 32, BundledRoot: samples);
        var all = DatasetResolver.Resolve("bundled:emoji:twitter", o);
        var held = DatasetResolver.Resolve("bundled:emoji:twitter:heldout", o);
        var train = DatasetResolver.Resolve("bundled:emoji:twitter:train", o);
        var heldIds = Enumerable.Range(0, held.Count).Select(held.IdOf).ToHashSet();
        var trainIds = Enumerable.Range(0, train.Count).Select(train.IdOf).ToHashSet();
        Assert.Empty(heldIds.Intersect(trainIds));
        Assert.Equal(all.Count, heldIds.Count + trainIds.Count);
        // The list matches the split rule: every bundled held-out code point is held out among the full set's shared code points.
        Assert.Equal(File.ReadAllLines(Path.Combine(samples, "emoji-twitter", SampleBundle.HeldOutFileName)).ToHashSet(), heldIds);
        Assert.Contains("1F6D1", heldIds);
        Assert.Equal(heldIds, Enumerable.Range(0, DatasetResolver.Resolve("bundled:emoji:google:heldout", o).Count)
            .Select(DatasetResolver.Resolve("bundled:emoji:google:heldout", o).IdOf).ToHashSet());

        using var copy = new TempFolder();
        foreach (var f in Directory.GetFiles(Path.Combine(samples, "emoji-google"), "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy.Path, "emoji-google", Path.GetRelativePath(Path.Combine(samples, "emoji-google"), f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            if (Path.GetFileName(f) != SampleBundle.HeldOutFileName) File.Copy(f, to);
        }
        var e = Assert.Throws<GanSharpException>(() =>
            DatasetResolver.Resolve("bundled:emoji:google:train", new DatasetResolveOptions(Size: 32, BundledRoot: copy.Path)));
        Assert.Contains(SampleBundle.HeldOutFileName, e.Message);
        Assert.Contains("data bundle", e.Hint);
    }
}
