using System.Text.Json;
using System.Text.Json.Nodes;
using GanSharp.IO;

namespace GanSharp.Data;

/// <summary>
/// The small committed data subset (<c>assets/samples</c>) that lets the demo and tests run with no download:
/// Fashion-MNIST test images as IDX files, and emoji of two styles in the npm package layout, the same code points
/// in both. <see cref="Write"/> reproduces it from the installed/cached data.
/// </summary>
public static class SampleBundle
{
    /// <summary>The emoji styles bundled.</summary>
    public static readonly EmojiStyle[] EmojiStyles = { EmojiStyle.Google, EmojiStyle.Twitter };

    /// <summary>The Fashion-MNIST folder inside the bundle (t10k files only).</summary>
    public static string FashionMnistFolder(string samplesRoot) => Path.Combine(samplesRoot, "fashion-mnist");

    /// <summary>The emoji package folder of a style inside the bundle.</summary>
    public static string EmojiFolder(string samplesRoot, EmojiStyle style) => Path.Combine(samplesRoot, "emoji-" + style.Key());

    /// <summary>
    /// Writes the bundle: <paramref name="count"/> Fashion-MNIST test images stratified by class, and
    /// <paramref name="count"/> emoji present in every bundled style, both chosen with <paramref name="seed"/>.
    /// </summary>
    public static void Write(string samplesRoot, int count = 64, ulong seed = 2026, string? fashionMnistFolder = null, string? emojiCacheRoot = null)
    {
        if (count < 1) throw new GanSharpException($"sample count {count}: must be positive");
        WriteFashionMnist(samplesRoot, count, seed, fashionMnistFolder);
        WriteEmoji(samplesRoot, count, seed, emojiCacheRoot);
    }

    static void WriteFashionMnist(string root, int count, ulong seed, string? sourceFolder)
    {
        var test = FashionMnist.Load(new FashionMnistOptions(sourceFolder, DatasetSplit.Test));
        var pick = test.SplitCounts(new[] { count, test.Count - count }, seed, stratified: true)[0];
        var (h, w) = (pick.Height, pick.Width);
        var pixels = new byte[count * h * w];
        var labels = new byte[count];
        var buffer = new float[h * w];
        for (int i = 0; i < count; i++)
        {
            pick.CopyPixels(i, buffer);
            for (int p = 0; p < buffer.Length; p++)
                pixels[i * h * w + p] = (byte)Math.Clamp(MathF.Round((buffer[p] + 1f) * 127.5f), 0, 255);
            labels[i] = (byte)pick.LabelOf(i);
        }
        var folder = FashionMnistFolder(root);
        var (imagesPath, labelsPath) = FashionMnist.FilesFor(folder, DatasetSplit.Test);
        IdxWriter.Write(imagesPath, new[] { count, h, w }, pixels);
        IdxWriter.Write(labelsPath, new[] { count }, labels);
        AtomicFile.WriteAllText(Path.Combine(folder, "SOURCE.md"),
            $"{count} images of the Fashion-MNIST test set (t10k), stratified by class with seed {seed}, as IDX files.\n" +
            "Fashion-MNIST: Han Xiao, Kashif Rasul, Roland Vollgraf (Zalando Research), MIT licence.\n" +
            "Source: Debian package dataset-fashion-mnist. Reproduce: gansharp data bundle --out assets/samples\n");
    }

    /// <summary>The file of a bundled emoji folder that lists its code points held out by <see cref="EmojiSplit"/>, one per line.</summary>
    public const string HeldOutFileName = "heldout.txt";

    /// <summary>
    /// The <paramref name="split"/> side of a bundled emoji set, by the <see cref="HeldOutFileName"/> written when the
    /// samples were bundled (the trimmed catalog cannot compute it).
    /// </summary>
    public static EmojiDataset ApplyEmojiSplit(EmojiDataset bundled, DatasetSplit split, string spec)
    {
        ArgumentNullException.ThrowIfNull(bundled);
        var path = Path.Combine(bundled.PackageFolder, HeldOutFileName);
        if (!File.Exists(path))
            throw new GanSharpException($"{spec}: {path} is missing, so the bundled samples cannot tell the held-out split",
                "rebuild the samples with `gansharp data bundle`, or fetch the full set with `gansharp data fetch emoji:STYLE`");
        var heldOut = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        bool wantHeldOut = split == DatasetSplit.Test;
        var picked = bundled.Entries.Where(e => EmojiSplit.IsHeldOut(e, heldOut) == wantHeldOut).Select(e => e.Unified).ToArray();
        if (picked.Length == 0) throw new GanSharpException($"{spec}: no bundled emoji on the {EmojiSplit.Key(split)} side of the split");
        return bundled.Select(picked, EmojiSplit.Key(split));
    }

    static void WriteEmoji(string root, int count, ulong seed, string? cacheRoot)
    {
        var sets = EmojiStyles.Select(s => EmojiDataset.Download(s, null, cacheRoot)).ToArray();
        var shared = sets.Skip(1).Aggregate((IEnumerable<string>)EmojiDataset.SharedCodePoints(sets[0], sets[0]),
            (acc, s) => acc.Intersect(EmojiDataset.SharedCodePoints(sets[0], s), StringComparer.Ordinal)).ToArray();
        var order = new SeededRandom(seed).Permutation(shared.Length);
        var chosen = order.Take(Math.Min(count, shared.Length)).Select(i => shared[i]).ToHashSet(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            var target = EmojiFolder(root, set.Style);
            var staging = target + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            var images = Path.Combine(staging, "img", set.Style.Key(), "64");
            Directory.CreateDirectory(images);
            var catalog = JsonNode.Parse(File.ReadAllText(Path.Combine(set.PackageFolder, "emoji.json")))!.AsArray();
            var kept = new JsonArray();
            foreach (var node in catalog)
            {
                var unified = node?["unified"]?.GetValue<string>();
                if (unified == null || !chosen.Contains(unified)) continue;
                var entry = node!.DeepClone().AsObject();
                entry.Remove("skin_variations");
                kept.Add(entry);
                var image = entry["image"]!.GetValue<string>();
                File.Copy(Path.Combine(set.ImageFolder, image), Path.Combine(images, image));
            }
            File.WriteAllText(Path.Combine(staging, "emoji.json"), kept.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            // The trimmed catalog cannot tell the held-out split (it needs every code point), so it is written down here.
            File.WriteAllLines(Path.Combine(staging, HeldOutFileName),
                EmojiSplit.HeldOutCodePoints(EmojiCatalog.Load(Path.Combine(set.PackageFolder, "emoji.json"))).Where(chosen.Contains));
            foreach (var f in new[] { "LICENSE" })
                if (File.Exists(Path.Combine(set.PackageFolder, f))) File.Copy(Path.Combine(set.PackageFolder, f), Path.Combine(staging, f));
            File.WriteAllText(Path.Combine(staging, "SOURCE.md"),
                $"{chosen.Count} emoji present in every bundled style, chosen with seed {seed}, from npm package " +
                $"{set.Style.PackageName()}@{EmojiFetcher.Version} (emoji-datasource by Cal Henderson/iamcal, MIT; images: {set.Credit}).\n" +
                "Layout as in the npm package (emoji.json trimmed to these entries, img/<style>/64/). Reproduce: gansharp data bundle --out assets/samples\n");
            if (Directory.Exists(target)) Directory.Delete(target, true);
            Directory.Move(staging, target);
        }
    }
}
