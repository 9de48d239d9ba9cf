using System.Formats.Tar;
using System.IO.Compression;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Tests.Imaging;
using SkiaSharp;

namespace GanSharp.Tests.Data;

public class EmojiDatasetTests
{
    const string Json = """
    [
      {"name":"GRINNING FACE","unified":"1F600","image":"1f600.png","category":"Smileys & Emotion","subcategory":"face-smiling","short_name":"grinning","sort_order":1,"has_img_google":true,"has_img_twitter":true},
      {"name":"FATHER CHRISTMAS","unified":"1F385","image":"1f385.png","category":"People & Body","subcategory":"person-fantasy","short_name":"santa","sort_order":372,"has_img_google":true,"has_img_twitter":true,
       "skin_variations":{"1F3FB":{"unified":"1F385-1F3FB","image":"1f385-1f3fb.png","has_img_google":true,"has_img_twitter":true}}},
      {"name":"HASH KEY","unified":"0023-FE0F-20E3","image":"0023-fe0f-20e3.png","category":"Symbols","subcategory":"keycap","short_name":"hash","sort_order":1556,"has_img_google":true,"has_img_twitter":false},
      {"name":"DOG FACE","unified":"1F436","image":"1f436.png","category":"Animals & Nature","subcategory":"animal-mammal","short_name":"dog","sort_order":500,"has_img_google":false,"has_img_twitter":true}
    ]
    """;

    /// <summary>A package/ folder with both styles; each emoji is a transparent square with a coloured centre.</summary>
    static string MakePackage(TempDir dir)
    {
        string package = dir.File("package");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "emoji.json"), Json);
        foreach (var (style, color) in new[] { ("google", SKColors.Red), ("twitter", SKColors.Blue) })
            foreach (var img in new[] { "1f600.png", "1f385.png", "1f385-1f3fb.png", "0023-fe0f-20e3.png", "1f436.png" })
                TestImages.Write(Path.Combine(package, "img", style, "64", img), 8, 8,
                    (x, y) => x is >= 2 and < 6 && y is >= 2 and < 6 ? color : SKColors.Transparent, alpha: true);
        return package;
    }

    [Fact]
    public void IndexesBaseEmojiByCodePointWithCategories()
    {
        using var dir = new TempDir();
        var ds = EmojiDataset.Open(MakePackage(dir), EmojiStyle.Google, new EmojiDatasetOptions(Size: 8));
        Assert.Equal(new[] { "0023-FE0F-20E3", "1F385", "1F600" }, Enumerable.Range(0, ds.Count).Select(ds.IdOf));
        Assert.Equal(new[] { "People & Body", "Smileys & Emotion", "Symbols" }, ds.ClassNames);
        Assert.Equal(new[] { 2, 0, 1 }, Enumerable.Range(0, ds.Count).Select(ds.LabelOf));
        Assert.Equal(2, ds.IndexOf("1f600"));
        Assert.Equal(-1, ds.IndexOf("1F436"));
        Assert.Equal("FATHER CHRISTMAS", ds.EntryAt(1).Name);
        Assert.Contains("Apache", ds.Credit);
        var px = new float[3 * 64];
        ds.CopyPixels(2, px);
        Assert.Equal(1f, px[0]);             // corner: white background
        Assert.Equal(-1f, px[64 + 3 * 8 + 3]); // centre green: red emoji
        var withSkins = EmojiDataset.Open(dir.Path, EmojiStyle.Google, new EmojiDatasetOptions(Size: 8, IncludeSkinVariations: true));
        Assert.Equal(4, withSkins.Count);
        Assert.True(withSkins.EntryAt(withSkins.IndexOf("1F385-1F3FB")).IsSkinVariation);
    }

    [Fact]
    public void SubcategoryLabelsComeFromTheCatalog()
    {
        using var dir = new TempDir();
        var package = MakePackage(dir);
        var ds = EmojiDataset.Open(package, EmojiStyle.Google, new EmojiDatasetOptions(Size: 8, Labels: EmojiLabels.Subcategory));
        // 0023-FE0F-20E3 keycap, 1F385 person-fantasy, 1F600 face-smiling (1F436 has no Google image).
        Assert.Equal(new[] { "face-smiling", "keycap", "person-fantasy" }, ds.ClassNames);
        Assert.Equal(new[] { 1, 2, 0 }, Enumerable.Range(0, ds.Count).Select(ds.LabelOf));
        var twitter = EmojiDataset.Open(package, EmojiStyle.Twitter, new EmojiDatasetOptions(Size: 8, Labels: EmojiLabels.Subcategory));
        Assert.Equal(new[] { "animal-mammal", "face-smiling", "person-fantasy" }, twitter.ClassNames);
        var view = ds.Select(new[] { "1F600" }, "train");
        Assert.Equal(ds.ClassNames, view.ClassNames); // a view keeps the whole set's classes
        Assert.Equal(0, view.LabelOf(0));
        // Both styles combined: labels matched by subcategory name over the union of the two lists.
        var both = DatasetViews.Combine(new IImageDataset[] { ds, twitter });
        Assert.Equal(new[] { "animal-mammal", "face-smiling", "keycap", "person-fantasy" }, both.ClassNames);
        Assert.Equal(new[] { "keycap", "person-fantasy", "face-smiling", "person-fantasy", "animal-mammal", "face-smiling" },
            Enumerable.Range(0, both.Count).Select(i => both.ClassNames[both.LabelOf(i)]));
        var noSub = new EmojiEntry("1F601", "X", "x", "Smileys & Emotion", "", "1f601.png", 1, null, new HashSet<string>());
        Assert.Equal("(none)", EmojiLabels.Subcategory.ClassOf(noSub));
        Assert.Equal("Smileys & Emotion", EmojiLabels.Category.ClassOf(noSub));
        Assert.Equal(EmojiLabels.Subcategory, EmojiLabelKinds.Parse(" Subcategory "));
        Assert.Equal("subcategory", EmojiLabels.Subcategory.Key());
        Assert.Throws<GanSharpException>(() => EmojiLabelKinds.Parse("style"));
    }

    [Fact]
    public void ResolverPassesTheLabelKind()
    {
        var options = new DatasetResolveOptions(Size: 8, BundledRoot: Path.Combine(Cli.DataCommandTests.Assets, "samples"), EmojiLabels: EmojiLabels.Subcategory);
        var ds = (EmojiDataset)DatasetResolver.Resolve("bundled:emoji:google", options);
        Assert.Equal(ds.Entries.Select(e => e.Subcategory).Distinct().Order(StringComparer.Ordinal), ds.ClassNames);
        Assert.All(Enumerable.Range(0, ds.Count), i => Assert.Equal(ds.EntryAt(i).Subcategory, ds.ClassNames[ds.LabelOf(i)]));
        var categories = DatasetResolver.Resolve("bundled:emoji:google", options with { EmojiLabels = EmojiLabels.Category });
        Assert.True(categories.ClassNames.Count < ds.ClassNames.Count);
    }

    [Fact]
    public void GrayOnBlackAndCategoryFilter()
    {
        using var dir = new TempDir();
        var ds = EmojiDataset.Open(MakePackage(dir), EmojiStyle.Twitter,
            new EmojiDatasetOptions(Size: 4, Mode: ImageMode.Gray, Background: RgbColor.Black, Categories: new[] { "animals & nature" }));
        Assert.Equal(1, ds.Count);
        Assert.Equal("1F436", ds.IdOf(0));
        Assert.Contains("CC-BY", ds.Credit);
        var px = new float[16];
        ds.CopyPixels(0, px);
        Assert.Equal(-1f, px[0]);
        Assert.True(px[5] > -0.9f); // blue centre has some luminance
    }

    [Fact]
    public void PairsTwoStylesByCodePoint()
    {
        using var dir = new TempDir();
        var package = MakePackage(dir);
        var g = EmojiDataset.Open(package, EmojiStyle.Google, new EmojiDatasetOptions(Size: 8));
        var t = EmojiDataset.Open(package, EmojiStyle.Twitter, new EmojiDatasetOptions(Size: 8));
        Assert.Equal(new[] { "1F385", "1F600" }, EmojiDataset.SharedCodePoints(g, t));
        Assert.Equal(EmojiDataset.SharedCodePoints(g, t), EmojiDataset.SharedCodePoints(t, g));
        var (a, b) = EmojiDataset.Pair(g, t);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a.IdOf(i), b.IdOf(i));
        Assert.Throws<GanSharpException>(() => g.Select(new[] { "1F436" }));
    }

    [Fact]
    public void MissingImagesAndFoldersAreReported()
    {
        using var dir = new TempDir();
        var package = MakePackage(dir);
        File.Delete(Path.Combine(package, "img", "google", "64", "1f600.png"));
        var old = GanSharp.Diagnostics.Log.SetSink(_ => { });
        try { Assert.Equal(2, EmojiDataset.Open(package, EmojiStyle.Google).Count); }
        finally { GanSharp.Diagnostics.Log.SetSink(old); }
        Directory.Delete(Path.Combine(package, "img", "twitter"), true);
        Assert.Contains("twitter", Assert.Throws<GanSharpException>(() => EmojiDataset.Open(package, EmojiStyle.Twitter)).Message);
        Assert.Throws<GanSharpException>(() => EmojiDataset.Open(dir.File("none"), EmojiStyle.Google));
        File.WriteAllText(Path.Combine(package, "emoji.json"), "{ broken");
        Assert.Contains("emoji.json", Assert.Throws<GanSharpException>(() => EmojiDataset.Open(package, EmojiStyle.Google)).Message);
    }

    [Fact]
    public void ExtractsTgzWithFilterAndRefusesEscapingEntries()
    {
        using var dir = new TempDir();
        string tgz = dir.File("p.tgz");
        WriteTgz(tgz, ("package/emoji.json", "[]"), ("package/img/google/64/a.png", "x"), ("package/img/google/sheets/s.png", "y"));
        int n = EmojiFetcher.ExtractTgz(tgz, dir.File("out"), rel => !rel.Contains("/sheets/"));
        Assert.Equal(2, n);
        Assert.True(File.Exists(dir.File("out/package/img/google/64/a.png")));
        Assert.False(File.Exists(dir.File("out/package/img/google/sheets/s.png")));
        string evil = dir.File("evil.tgz");
        WriteTgz(evil, ("../escape.txt", "bad"));
        Assert.Throws<GanSharpException>(() => EmojiFetcher.ExtractTgz(evil, dir.File("out2")));
        Assert.False(File.Exists(dir.File("escape.txt")));
        File.WriteAllBytes(dir.File("trunc.tgz"), File.ReadAllBytes(tgz)[..20]);
        Assert.Throws<GanSharpException>(() => EmojiFetcher.ExtractTgz(dir.File("trunc.tgz"), dir.File("out3")));
    }

    static void WriteTgz(string path, params (string Name, string Text)[] files)
    {
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        using var tar = new TarWriter(gz, TarEntryFormat.Pax);
        foreach (var (name, text) in files)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });
    }

    [Fact]
    public void CachePathFollowsGanSharpCache()
    {
        using var dir = new TempDir();
        Assert.Equal(Path.Combine(dir.Path, "emoji", "emoji-datasource-google-16.0.0", "package"), EmojiFetcher.PackageFolder(EmojiStyle.Google, dir.Path));
        Assert.False(EmojiFetcher.IsCached(EmojiStyle.Twitter, dir.Path));
        Assert.Equal(EmojiStyle.Twitter, EmojiStyles.Parse("Twemoji"));
    }
}
