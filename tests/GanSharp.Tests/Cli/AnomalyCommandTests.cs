using System.Globalization;
using GanSharp.Cli;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Tests.Data;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

/// <summary>
/// One tiny GANomaly model trained through <c>gansharp anomaly train</c> on the bundled Fashion-MNIST trousers
/// (6 images: 5 trained on, 1 held out for the threshold), shared by the tests of <see cref="AnomalyCommandTests"/>.
/// </summary>
public sealed class AnomalyCliModel : IDisposable
{
    readonly TempFolder _dir = new();

    /// <summary>Trains the model.</summary>
    public AnomalyCliModel()
    {
        Runs = Path.Combine(_dir.Path, "runs");
        (Code, Output, Error) = CliTests.Run("anomaly", "train", "--method", "ganomaly", "--data", "bundled:fashion-mnist", "--normal-class", "1",
            "--steps", "12", "--batch", "4", "--width", "4", "--latent", "8", "--seed", "3", "--runs", Runs,
            "--assets", DataCommandTests.Assets, "--device", "cpu").GetAwaiter().GetResult();
        RunFolder = Directory.Exists(Runs) ? Directory.GetDirectories(Runs).SingleOrDefault() : null;
    }

    /// <summary>Folder of run folders.</summary>
    public string Runs { get; }

    /// <summary>Exit code, stdout and stderr of the training command.</summary>
    public int Code { get; }

    /// <inheritdoc cref="Code" />
    public string Output { get; }

    /// <inheritdoc cref="Code" />
    public string Error { get; }

    /// <summary>The run folder (null when training failed).</summary>
    public string? RunFolder { get; }

    /// <summary>The model folder of the run.</summary>
    public string Model => Path.Combine(RunFolder ?? throw new InvalidOperationException("training failed: " + Error), "model");

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();
}

public class AnomalyCommandTests(AnomalyCliModel model) : IClassFixture<AnomalyCliModel>
{
    static IImageDataset Bundled() =>
        DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(DataCommandTests.Assets, "samples")));

    /// <summary>Writes image <paramref name="index"/> of <paramref name="data"/> as a PNG file.</summary>
    static string WriteImage(IImageDataset data, int index, string path)
    {
        var pixels = new float[data.Channels * data.Height * data.Width];
        data.CopyPixels(index, pixels);
        using var t = tensor(pixels, new long[] { data.Channels, data.Height, data.Width }); // [C, H, W]
        ImageWriter.WritePng(t, path);
        return path;
    }

    static int FirstOf(IImageDataset data, int label) => Enumerable.Range(0, data.Count).First(i => data.LabelOf(i) == label);

    [Fact]
    public void TrainWritesARunFolderWithAModelAndItsThreshold()
    {
        Assert.True(model.Code == ExitCodes.Ok, model.Error);
        Assert.Contains("class 1: Trouser", model.Error);
        Assert.Contains("run folder: ", model.Output);
        Assert.Contains("95th percentile of 1 held-out normal scores", model.Output);
        Assert.True(File.Exists(Path.Combine(model.Model, "manifest.json")));
        var opened = GanSharp.Methods.Anomaly.AnomalyModel.Open(model.RunFolder!);
        Assert.Equal("ganomaly", opened.Info.Method);
        Assert.Equal(1, opened.Info.NormalClass);
        Assert.NotNull(opened.Info.Threshold);
        Assert.Equal(new GanSharp.Models.ImageShape(1, 28, 28), opened.Info.Image);
    }

    [Fact]
    public async Task TrainWithoutANormalClassOnLabelledDataIsAnErrorListingTheClasses()
    {
        using var dir = new TempFolder();
        var (code, _, err) = await CliTests.Run("anomaly", "train", "--method", "ganomaly", "--data", "bundled:fashion-mnist", "--steps", "2",
            "--runs", dir.Path, "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--normal-class is required", err);
        Assert.Contains("Trouser", err);
        (code, _, err) = await CliTests.Run("anomaly", "train", "--method", "bogus", "--data", "bundled:fashion-mnist", "--normal-class", "1",
            "--runs", dir.Path, "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("bogus", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task ScoreWritesCsvAndHeatMapsAndResizesOtherSizesWithAWarning()
    {
        using var dir = new TempFolder();
        var images = Directory.CreateDirectory(Path.Combine(dir.Path, "images")).FullName;
        var data = Bundled();
        WriteImage(data, FirstOf(data, 1), Path.Combine(images, "a-trouser.png"));
        WriteImage(data, FirstOf(data, 9), Path.Combine(images, "b-boot.png"));
        WriteImage(data, FirstOf(data, 2), Path.Combine(images, "c-pullover.png"));
        // An RGB emoji at 40x40: converted to gray and resized (centre crop) with a warning.
        var emoji = DatasetResolver.Resolve("bundled:emoji:google", new DatasetResolveOptions(40, BundledRoot: Path.Combine(DataCommandTests.Assets, "samples")));
        Assert.Equal(3, emoji.Channels);
        WriteImage(emoji, 0, Path.Combine(images, "d-emoji-40.png"));
        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image; skipped by extension");

        var output = Path.Combine(dir.Path, "out");
        var (code, stdout, err) = await CliTests.Run("anomaly", "score", "--model", model.RunFolder!, "--images", images, "-o", output, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("d-emoji-40.png is 40x40; resized", err);
        Assert.DoesNotContain("a-trouser.png is", err);
        Assert.Contains("wrote", stdout);
        Assert.Contains("4 heat maps", stdout);

        var lines = File.ReadAllLines(Path.Combine(output, "scores.csv"));
        Assert.Equal("file,score,anomalous,heatmap", lines[0]);
        Assert.Equal(5, lines.Length);
        var names = new[] { "a-trouser.png", "b-boot.png", "c-pullover.png", "d-emoji-40.png" };
        for (int i = 0; i < 4; i++)
        {
            var fields = lines[i + 1].Split(',');
            Assert.EndsWith(names[i], fields[0]);
            double score = double.Parse(fields[1], CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(score) && score >= 0, lines[i + 1]);
            Assert.Contains(fields[2], new[] { "true", "false" });
            var heat = Path.Combine(output, fields[3]);
            Assert.True(File.Exists(heat), heat);
            var header = ImageReader.ReadHeader(heat);
            Assert.True(header.Width >= 2 * 28 * 4 && header.Height >= 28 * 4, $"{header.Width}x{header.Height}");
        }

        // A single file is scored too, with the same score as in the folder run.
        var single = Path.Combine(dir.Path, "single");
        (code, _, err) = await CliTests.Run("anomaly", "score", "--model", model.Model, "--images", Path.Combine(images, "b-boot.png"), "-o", single, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        var one = File.ReadAllLines(Path.Combine(single, "scores.csv"));
        Assert.Equal(2, one.Length);
        Assert.Equal(double.Parse(lines[2].Split(',')[1], CultureInfo.InvariantCulture), double.Parse(one[1].Split(',')[1], CultureInfo.InvariantCulture), 1e-5);
    }

    [Fact]
    public async Task ScoresCsvQuotesFileNamesWithCommasQuotesAndLineBreaks()
    {
        using var dir = new TempFolder();
        var images = Directory.CreateDirectory(Path.Combine(dir.Path, "images")).FullName;
        var data = Bundled();
        var odd = Path.Combine(images, "odd, \"quoted\"\nname.png");
        WriteImage(data, FirstOf(data, 1), odd);
        var output = Path.Combine(dir.Path, "out");
        var (code, _, err) = await CliTests.Run("anomaly", "score", "--model", model.RunFolder!, "--images", images, "-o", output, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        var text = File.ReadAllText(Path.Combine(output, "scores.csv"));
        // RFC 4180: the field is quoted, inner quotes doubled, the line break kept inside the quotes.
        Assert.Contains("\"" + odd.Replace("\"", "\"\"") + "\",", text);
        Assert.StartsWith("file,score,anomalous,heatmap", text);
    }

    [Fact]
    public async Task ScoreRefusesUnreadableImagesWithOneLineAndNoStackTrace()
    {
        using var dir = new TempFolder();
        var data = Bundled();
        var good = WriteImage(data, 0, Path.Combine(dir.Path, "good.png"));
        var garbage = dir.Write("garbage.png", "this is not a PNG"u8.ToArray());
        var truncated = dir.Write("truncated.png", File.ReadAllBytes(good).AsSpan(0, 40).ToArray());
        foreach (var bad in new[] { garbage, truncated })
        {
            var (code, _, err) = await CliTests.Run("anomaly", "score", "--model", model.Model, "--images", bad, "-o", Path.Combine(dir.Path, "out"), "--device", "cpu");
            Assert.Equal(ExitCodes.Error, code);
            var errors = err.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            Assert.Single(errors);
            Assert.Contains(Path.GetFileName(bad), errors[0]);
            Assert.DoesNotContain("   at ", err);
            Assert.False(File.Exists(Path.Combine(dir.Path, "out", "scores.csv")));
        }
        var (c, _, e) = await CliTests.Run("anomaly", "score", "--model", model.Model, "--images", Path.Combine(dir.Path, "nothing-here"), "-o", Path.Combine(dir.Path, "out"));
        Assert.Equal(ExitCodes.Error, c);
        Assert.Contains("no such file or folder", e);
    }

    [Fact]
    public async Task CorruptOrForeignModelFoldersAreRefusedWithAClearMessage()
    {
        using var dir = new TempFolder();
        var copy = Path.Combine(dir.Path, "model");
        CopyFolder(model.Model, copy);
        var weights = Directory.GetFiles(Path.Combine(copy, "modules")).First();
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(weights, bytes);
        var data = Bundled();
        var image = WriteImage(data, 0, Path.Combine(dir.Path, "x.png"));
        var (code, _, err) = await CliTests.Run("anomaly", "score", "--model", copy, "--images", image, "-o", Path.Combine(dir.Path, "out"), "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("fails its SHA-256 check", err);
        Assert.Contains(Path.GetFileName(weights), err);
        Assert.DoesNotContain("   at ", err);

        File.Delete(Path.Combine(copy, "manifest.json"));
        (code, _, err) = await CliTests.Run("anomaly", "eval", "--model", copy, "--data", "bundled:fashion-mnist", "-o", Path.Combine(dir.Path, "rep"),
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("manifest.json is missing", err);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "rep")));

        var gan = Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion");
        (code, _, err) = await CliTests.Run("anomaly", "score", "--model", gan, "--images", image, "-o", Path.Combine(dir.Path, "out"), "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("not an anomaly model", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task EvalWritesTheMetricTableRocPngAndHtmlReport()
    {
        using var dir = new TempFolder();
        var report = Path.Combine(dir.Path, "report");
        var (code, output, err) = await CliTests.Run("anomaly", "eval", "--model", model.RunFolder!, "--data", "bundled:fashion-mnist", "-o", report,
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("AUROC", output);
        Assert.Contains("AUPRC", output);
        Assert.Contains("F1", output);
        Assert.Contains("64 images", output);
        var index = Path.Combine(report, "index.html");
        Assert.True(File.Exists(index));
        var html = File.ReadAllText(index);
        Assert.Contains("AUROC", html);
        var roc = Directory.GetFiles(report, "*.png", SearchOption.AllDirectories).Single(f => Path.GetFileName(f).Contains("roc"));
        Assert.Contains(Path.GetFileName(roc), html);
        var header = ImageReader.ReadHeader(roc);
        Assert.True(header.Width >= 200 && header.Height >= 200, $"{header.Width}x{header.Height}");

        (code, _, err) = await CliTests.Run("anomaly", "eval", "--model", model.RunFolder!, "--data", "bundled:fashion-mnist", "--normal-class", "12",
            "-o", Path.Combine(dir.Path, "r2"), "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--normal-class 12: fashion-mnist:test has classes 0..9", err);
        Assert.DoesNotContain("   at ", err);
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyFolder(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
