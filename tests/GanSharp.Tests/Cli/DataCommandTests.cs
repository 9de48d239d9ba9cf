using GanSharp.Cli;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Models;

namespace GanSharp.Tests.Cli;

public class DataCommandTests
{
    internal static string Assets => BundledAssets.Locate(null);

    [Fact]
    public void BundledSamplesResolveWithTheDocumentedShapes()
    {
        var options = new DatasetResolveOptions(BundledRoot: Path.Combine(Assets, "samples"));
        var fm = DatasetResolver.Resolve("bundled:fashion-mnist", options);
        Assert.Equal((64, 1, 28, 28), (fm.Count, fm.Channels, fm.Height, fm.Width));
        Assert.Equal(10, fm.ClassNames.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.InRange(Enumerable.Range(0, fm.Count).Count(i => fm.LabelOf(i) == c), 6, 7));
        var sneakers = DatasetResolver.Resolve("bundled:fashion-mnist:sneaker", options);
        Assert.All(Enumerable.Range(0, sneakers.Count), i => Assert.Equal(7, sneakers.LabelOf(i)));

        var g = (EmojiDataset)DatasetResolver.Resolve("bundled:emoji:google", options);
        var t = (EmojiDataset)DatasetResolver.Resolve("bundled:emoji:twitter", options);
        Assert.Equal(64, g.Count);
        Assert.Equal(3, g.Channels);
        Assert.Equal(64, EmojiDataset.SharedCodePoints(g, t).Count);
    }

    [Fact]
    public void UncachedEmojiWithoutDownloadSaysHowToFetch()
    {
        using var dir = new GanSharp.Tests.Data.TempFolder();
        var e = Assert.Throws<GanSharpException>(() => DatasetResolver.Resolve("emoji:twitter", new DatasetResolveOptions(CacheRoot: dir.Path)));
        Assert.Contains("gansharp data fetch emoji:twitter", e.Hint);
    }

    [Fact]
    public async Task ShowPrintsCountsAndClassBalanceAndWritesAPreview()
    {
        using var dir = new GanSharp.Tests.Data.TempFolder();
        var png = Path.Combine(dir.Path, "p.png");
        var (code, output, err) = await CliTests.Run("data", "show", "bundled:fashion-mnist", "--preview", png, "--count", "16", "--assets", Assets);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("64 images, 1x28x28", output);
        Assert.Contains("Ankle boot", output);
        var header = ImageReader.ReadHeader(png);
        Assert.True(header.Width >= 4 * 28 && header.Height >= 4 * 28);
        Assert.Contains("preview: ", output);
        (code, output, err) = await CliTests.Run("data", "show", "bundled:fashion-mnist", "--assets", Assets);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.DoesNotContain("preview: ", output); // nothing written into the current folder unasked
    }

    [Fact]
    public async Task ShowOfAMissingFolderIsAnErrorNamingIt()
    {
        var (code, _, err) = await CliTests.Run("data", "show", "folder:/no/such/folder", "--preview", "none");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("/no/such/folder", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task MalformedSpecIsAnErrorWithTheAcceptedForms()
    {
        var (code, _, err) = await CliTests.Run("data", "show", "mnist-of-doom", "--preview", "none");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("mnist-of-doom", err);
    }

    [Fact]
    public async Task DemoWritesTheReportWithDoctorAndDataSections()
    {
        using var dir = new GanSharp.Tests.Data.TempFolder();
        var outDir = Path.Combine(dir.Path, "report");
        var (code, output, err) = await CliTests.Run("demo", "--out", outDir, "--assets", Assets);
        Assert.True(code == ExitCodes.Ok, err);
        var html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("native-load fix", html);
        Assert.Contains("Bundled data", html);
        Assert.Contains("GAN synthesis", html);
        Assert.Contains("dcgan-fashion-interpolation", html);
        Assert.Contains("GAN inversion and restoration", html);
        Assert.Contains("classical baseline, harmonic", html); // restoration rows: degraded input, classical baseline, GAN
        Assert.Contains("<th>classical baseline</th>", html);
        Assert.Contains("inversion-inpaint", html);
        foreach (var task in new[] { "inpaint", "sr4", "denoise", "colorize" })   // held-out emoji, every task, in the bundled StyleGAN2
            Assert.Contains($"inversion-emoji-{task}", html);
        Assert.Contains("classical baseline, mean colour", html);
        Assert.Contains("Unpaired translation", html);
        Assert.Contains("translation.png", html);               // the bundled translators ran on the held-out bundled emoji
        foreach (var img in Directory.GetFiles(Path.Combine(outDir, "img"), "*.png"))
            Assert.Contains(Path.GetRelativePath(outDir, img), html);
        Assert.True(Directory.GetFiles(Path.Combine(outDir, "img")).Length >= 4);
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => d.Contains(".tmp-"));
    }

    [Fact]
    public void BundledGanCheckpointSamplesDeterministicallyAndNotDegenerate()
    {
        var path = Path.Combine(Assets, "checkpoints", "dcgan-fashion");
        var g = GanSharp.Methods.Synthesis.Gan.GanCheckpoint.LoadGenerator(path);
        Assert.Equal(new GanSharp.Models.ImageShape(1, 28, 28), g.Output);
        TorchSharp.torch.Tensor Draw(ulong seed)
        {
            using var rng = new TorchSharp.torch.Generator(seed);
            using var _ = TorchSharp.torch.no_grad();
            return g.Generate(g.SampleLatents(16, rng));
        }
        var a = Draw(7);
        Assert.True(a.eq(Draw(7)).all().item<bool>());
        Assert.False(a.eq(Draw(8)).all().item<bool>());
        Assert.True(a.min().item<float>() >= -1f && a.max().item<float>() <= 1f);
        // Not collapsed: samples differ from each other, and images have both dark background and bright garment.
        Assert.True(a.std(new long[] { 0 }).mean().item<float>() > 0.1f);
        Assert.True(a.mean().item<float>() < 0f);
    }
}
