using System.Globalization;
using System.Text.RegularExpressions;
using GanSharp.Cli;
using GanSharp.Cli.Commands;
using GanSharp.Imaging;
using GanSharp.Reports;
using GanSharp.Tests.Data;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class AnomalyDemoSectionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// Without the full Fashion-MNIST (an empty folder) the section trains on the bundled trousers and renders the
    /// grid of images + heat maps with scores, the metric table and the ROC curve.
    /// </summary>
    [Fact]
    public void TheBundledFallbackRendersTheGridScoresAndRoc()
    {
        Assert.Contains(DemoSections.All, s => s is AnomalyDemoSection);
        using var dir = new TempFolder();
        var noFashionMnist = Directory.CreateDirectory(Path.Combine(dir.Path, "no-fashion-mnist")).FullName;
        var report = new HtmlReport(Path.Combine(dir.Path, "report"), "test");
        var demo = new DemoContext(DataCommandTests.Assets, CPU, new CliContext(TextWriter.Null, TextWriter.Null));
        var section = new AnomalyDemoSection(noFashionMnist);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        section.Render(demo, report);
        output.WriteLine($"rendered in {sw.Elapsed.TotalSeconds:0.00} s");
        var index = report.Publish();

        var html = File.ReadAllText(index);
        Assert.Contains("<h2>Anomaly detection</h2>", html);
        Assert.Contains("of the bundled samples (fashion-mnist:test:1) only", html);
        Assert.Contains("is not installed", html);
        Assert.Contains("--data bundled:fashion-mnist --normal-class 1 --steps 30", html);
        var auroc = double.Parse(Regex.Match(html, @"AUROC (\d\.\d+)\.").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(auroc, 0.75, 1.0); // chance is 0.5; this seed gives about 0.98

        var images = Path.Combine(Path.GetDirectoryName(index)!, "img");
        var grid = Directory.GetFiles(images, "*anomaly-heatmaps.png").Single();
        var header = ImageReader.ReadHeader(grid);
        Assert.True(header.Width >= 9 * 28 * 3 && header.Height >= 4 * 28 * 3, $"{header.Width}x{header.Height}"); // 9 columns, 4 rows at scale 3
        Assert.True(ImageReader.ReadHeader(Directory.GetFiles(images, "*roc.png").Single()).Width >= 200);
        Assert.Contains("starred when above the threshold", html);
    }
}
