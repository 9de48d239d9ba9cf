using GanSharp.Data;
using GanSharp.Reports;

namespace GanSharp.Cli.Commands;

/// <summary>Demo section: the bundled data, with class balance and the emoji pairing across styles.</summary>
public sealed class DataDemoSection : IDemoSection
{
    /// <inheritdoc />
    public string Title => "Bundled data";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        var samples = Path.Combine(demo.AssetsFolder, "samples");
        var options = new DatasetResolveOptions(Size: 64, BundledRoot: samples);
        report.Section(Title, "Small subsets committed with GanSharp so that everything here runs without a download. " +
            "`gansharp data show SPEC` prints the same figures for any dataset; `gansharp data bundle` rebuilds the subsets.");
        var fm = DatasetResolver.Resolve("bundled:fashion-mnist", options);
        AddPreview(report, fm, "bundled:fashion-mnist", "fashion-mnist");
        var stats = DatasetStats.Compute(fm);
        report.Table(new[] { "class", "count" }, stats.Classes.Select(c => (IReadOnlyList<string>)new[] { c.Name, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var styles = SampleBundle.EmojiStyles.Select(s => (EmojiDataset)DatasetResolver.Resolve("bundled:emoji:" + s.Key(), options)).ToArray();
        foreach (var d in styles) AddPreview(report, d, "bundled:emoji:" + d.Style.Key(), "emoji-" + d.Style.Key());
        var (a, b) = EmojiDataset.Pair(styles[0], styles[1]);
        int n = Math.Min(12, a.Count);
        var pairs = new PairStrip(a.Take(n), b.Take(n));
        AddPreview(report, pairs, $"the same {n} code points in both styles (top: {a.Style.Key()}, bottom: {b.Style.Key()})", "emoji-pairs", columns: n);
        report.Paragraph(string.Join(" ", styles.Select(s => s.Credit)));
        report.EndSection();
    }

    static void AddPreview(HtmlReport report, IImageDataset d, string caption, string stem, int? columns = null)
    {
        var (full, rel) = report.NewImagePath(stem);
        DataCommand.WritePreview(d, full, d.Count, seed: 0, columns);
        report.Image(rel, $"{caption}: {d.Count} images, {d.Channels}x{d.Height}x{d.Width}");
    }

    /// <summary>Two aligned datasets shown as two rows.</summary>
    sealed class PairStrip(IImageDataset top, IImageDataset bottom) : IImageDataset
    {
        public string Name => "pairs";
        public int Count => top.Count * 2;
        public int Channels => top.Channels;
        public int Height => top.Height;
        public int Width => top.Width;
        public IReadOnlyList<string> ClassNames => Array.Empty<string>();
        IImageDataset Side(int i) => i < top.Count ? top : bottom;
        int Local(int i) => i < top.Count ? i : i - top.Count;
        public void CopyPixels(int index, Span<float> destination) => Side(index).CopyPixels(Local(index), destination);
        public int LabelOf(int index) => -1;
        public string IdOf(int index) => Side(index).IdOf(Local(index));
    }
}
