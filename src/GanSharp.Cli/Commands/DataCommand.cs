using System.CommandLine;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using Spectre.Console;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp data list|fetch|show|bundle</c>: what data is available, fetching it, looking at it.</summary>
public static class DataCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("data", "List, fetch and inspect datasets (" + DatasetResolver.Forms + ")");
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Fetch(ctx));
        cmd.Subcommands.Add(Show(ctx));
        cmd.Subcommands.Add(Bundle(ctx));
        return cmd;
    }

    static Option<string?> AssetsOption() => new("--assets") { Description = "Bundled assets folder (default: the checkout's assets/)" };

    static Command List(CliContext ctx)
    {
        var cmd = new Command("list", "Show which datasets are installed, cached or bundled");
        var assets = AssetsOption();
        cmd.Options.Add(assets);
        cmd.SetAction(parse =>
        {
            var samples = BundledAssets.SamplesOrNull(parse.GetValue(assets));
            var t = new Table().Border(TableBorder.Rounded).AddColumn("spec").AddColumn("status").AddColumn("where / how");
            bool fm = FashionMnist.IsAvailable(null, DatasetSplit.Train) && FashionMnist.IsAvailable(null, DatasetSplit.Test);
            t.AddRow("fashion-mnist", fm ? "installed" : "missing",
                Markup.Escape(fm ? FashionMnist.ResolveFolder() : "sudo apt-get install dataset-fashion-mnist"));
            foreach (var style in Enum.GetValues<EmojiStyle>())
            {
                bool cached = EmojiFetcher.IsCached(style);
                t.AddRow("emoji:" + style.Key(), cached ? "cached" : "not fetched",
                    Markup.Escape(cached ? EmojiFetcher.PackageFolder(style) : $"gansharp data fetch emoji:{style.Key()}  ({style.Credit()})"));
            }
            bool photos = PhotoFetcher.IsCached();
            t.AddRow("photos", photos ? "cached" : "not fetched",
                Markup.Escape(photos ? PhotoFetcher.Folder() : "gansharp data fetch photos  (" + PhotoFetcher.Credit + ")"));
            if (samples != null)
            {
                t.AddRow("bundled:fashion-mnist", Directory.Exists(SampleBundle.FashionMnistFolder(samples)) ? "bundled" : "missing", Markup.Escape(SampleBundle.FashionMnistFolder(samples)));
                foreach (var style in SampleBundle.EmojiStyles)
                    t.AddRow("bundled:emoji:" + style.Key(), Directory.Exists(SampleBundle.EmojiFolder(samples, style)) ? "bundled" : "missing", Markup.Escape(SampleBundle.EmojiFolder(samples, style)));
            }
            t.AddRow("folder:PATH", "-", "any folder of images; class = subfolder");
            ctx.Console.Write(t);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static Command Fetch(CliContext ctx)
    {
        var cmd = new Command("fetch", "Fetch a dataset into the cache (emoji sets with npm, the photographs with apt-get download)");
        var spec = new Argument<string>("spec") { Description = "emoji:google, emoji:twitter or photos" };
        cmd.Arguments.Add(spec);
        cmd.SetAction(parse =>
        {
            var s = DatasetSpec.Parse(parse.GetValue(spec)!);
            if (s.Kind == DatasetKind.Photos)
            {
                string photos = "";
                ctx.Console.Status().Start($"fetching {PhotoFetcher.Package} with apt-get download…", _ => photos = PhotoFetcher.Ensure());
                ctx.Output.WriteLine($"photos: {PhotoFetcher.Files.Count} photographs in {photos}");
                ctx.Output.WriteLine($"credit: {PhotoFetcher.Credit}");
                return ExitCodes.Ok;
            }
            if (s.Kind != DatasetKind.Emoji)
                throw new GanSharpException($"{s}: nothing to fetch", s.Kind == DatasetKind.FashionMnist ? "Fashion-MNIST comes from Debian: sudo apt-get install dataset-fashion-mnist" : null);
            var style = EmojiStyles.Parse(s.Argument!);
            string folder = "";
            ctx.Console.Status().Start($"fetching {style.PackageName()}@{EmojiFetcher.Version} with npm…", _ => folder = EmojiFetcher.Ensure(style));
            var d = EmojiDataset.Open(folder, style);
            ctx.Output.WriteLine($"emoji:{style.Key()}: {d.Count} images in {folder}");
            ctx.Output.WriteLine($"credit: {d.Credit}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static Command Show(CliContext ctx)
    {
        var cmd = new Command("show", "Print counts, shape, class balance and pixel statistics; with --preview P.png, write a preview grid");
        var spec = new Argument<string>("spec") { Description = DatasetResolver.Forms };
        var preview = new Option<string?>("--preview") { Description = "Write a preview grid PNG here (default: none, so nothing is written into the current folder unasked)" };
        var count = new Option<int>("--count") { Description = "Images in the preview grid", DefaultValueFactory = _ => 64 };
        var size = new Option<int>("--size") { Description = "Image side for folders and emoji", DefaultValueFactory = _ => 64 };
        var gray = new Option<bool>("--gray") { Description = "Read folders and emoji as gray" };
        var seed = new Option<ulong>("--seed") { Description = "Which images the preview shows", DefaultValueFactory = _ => 0 };
        var assets = AssetsOption();
        foreach (var o in new Option[] { preview, count, size, gray, seed, assets }) cmd.Options.Add(o);
        cmd.Arguments.Add(spec);
        cmd.SetAction(parse =>
        {
            Platform.TorchRuntime.EnsureInitialized();
            var text = parse.GetValue(spec)!;
            var options = new DatasetResolveOptions(parse.GetValue(size), parse.GetValue(gray) ? ImageMode.Gray : ImageMode.Rgb,
                BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)));
            var d = DatasetResolver.Resolve(text, options);
            var stats = DatasetStats.Compute(d, maxPixelSamples: 2_000_000);
            ctx.Output.WriteLine($"{d.Name}: {d.Count} images, {d.Channels}x{d.Height}x{d.Width} (C x H x W)");
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pixels: mean {string.Join("/", stats.ChannelMean.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))}, std {string.Join("/", stats.ChannelStd.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))}, range [{stats.Min:0.###}, {stats.Max:0.###}] from {stats.PixelsSampled} images"));
            if (stats.Classes.Count > 0)
            {
                var t = new Table().Border(TableBorder.Rounded).AddColumn("label").AddColumn("class").AddColumn(new TableColumn("count").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
                foreach (var c in stats.Classes)
                    t.AddRow(c.Label.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), c.Count.ToString(CultureInfo.InvariantCulture), c.Fraction.ToString("P1", CultureInfo.InvariantCulture));
                ctx.Console.Write(t);
            }
            var target = parse.GetValue(preview);
            if (target is not null && !string.Equals(target, "none", StringComparison.OrdinalIgnoreCase))
            {
                WritePreview(d, target, parse.GetValue(count), parse.GetValue(seed));
                ctx.Output.WriteLine($"preview: {target}");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Writes a captioned grid of <paramref name="count"/> images of <paramref name="d"/> (chosen by seed) to a PNG.</summary>
    public static void WritePreview(IImageDataset d, string path, int count, ulong seed, int? columns = null)
    {
        if (count < 1) throw new GanSharpException($"--count {count}: must be positive");
        using var scope = NewDisposeScope();
        var pick = seed == 0 ? d.Take(Math.Min(count, d.Count)) : d.Shuffle(seed).Take(Math.Min(count, d.Count));
        var images = DataLoader.LoadAll(pick); // [N, C, H, W]
        var captions = Enumerable.Range(0, pick.Count).Select(i =>
        {
            int label = pick.LabelOf(i);
            return label >= 0 && label < d.ClassNames.Count ? Shorten(d.ClassNames[label]) : Shorten(pick.IdOf(i));
        }).ToArray();
        int scale = Math.Max(1, 56 / Math.Max(d.Height, d.Width));
        SampleGrid.WritePng(images, path, new GridOptions(Columns: columns ?? (int)Math.Ceiling(Math.Sqrt(pick.Count)), Scale: scale, Captions: captions, Title: d.Name));
    }

    static string Shorten(string s) => s.Length <= 12 ? s : s[..11] + "…";

    static Command Bundle(CliContext ctx)
    {
        var cmd = new Command("bundle", "Rebuild the committed sample subset (assets/samples) from installed Fashion-MNIST and the emoji sets");
        var output = new Option<string>("--out") { Description = "Samples folder", DefaultValueFactory = _ => "assets/samples" };
        var count = new Option<int>("--count") { Description = "Images per dataset", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Selection seed", DefaultValueFactory = _ => 2026 };
        cmd.Options.Add(output);
        cmd.Options.Add(count);
        cmd.Options.Add(seed);
        cmd.SetAction(parse =>
        {
            Platform.TorchRuntime.EnsureInitialized();
            ctx.Console.Status().Start("writing the sample bundle…", _ =>
                SampleBundle.Write(parse.GetValue(output)!, parse.GetValue(count), parse.GetValue(seed)));
            ctx.Output.WriteLine($"wrote {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
