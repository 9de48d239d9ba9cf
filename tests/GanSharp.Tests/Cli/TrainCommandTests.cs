using System.Text.Json;
using GanSharp.Cli;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Tests.Data;
using GanSharp.Training;

namespace GanSharp.Tests.Cli;

/// <summary>
/// `train gan` in this process: its convolution-path check switches oneDNN while it runs (and off for good when it
/// rejects), so these tests run alone and put the start-up decision back after each one.
/// </summary>
[Collection(GanSharp.Tests.Platform.GlobalTorchStateCollection.Name)]
public class TrainCommandTests : IDisposable
{
    /// <summary>Back to the start-up convolution decision.</summary>
    public void Dispose()
    {
        GanSharp.Platform.TorchRuntime.RestoreStartupDecision();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task DryRunPrintsTheResolvedConfigWithFlagsOverPreset()
    {
        var (code, output, err) = await CliTests.Run("train", "gan", "--preset", "smoke", "--steps", "9", "--loss", "wgan-gp", "--dry-run",
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(output);
        var resolved = doc.RootElement.GetProperty("resolved");
        Assert.Equal(9, resolved.GetProperty("training").GetProperty("steps").GetInt64());
        var options = resolved.GetProperty("options");
        Assert.Equal("WganGp", options.GetProperty("loss").GetString());
        Assert.Equal(5, options.GetProperty("criticSteps").GetInt32());
        Assert.Equal(1e-4, options.GetProperty("learningRate").GetDouble());
        Assert.Equal(16, doc.RootElement.GetProperty("settings").GetProperty("batch").GetInt32());
    }

    [Theory]
    [InlineData("adaptive", 0.0, true)]
    [InlineData("0.25", 0.25, false)]
    public async Task AugmentProbabilityIsAdaptiveOrFixedAndRecorded(string flag, double p, bool adaptive)
    {
        var (code, output, err) = await CliTests.Run("train", "gan", "--preset", "smoke", "--augment", "all", "--augment-p", flag, "--dry-run",
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(output);
        var options = doc.RootElement.GetProperty("resolved").GetProperty("options");
        Assert.Equal(p, options.GetProperty("augmentProbability").GetDouble());
        Assert.Equal(adaptive, options.GetProperty("adaptiveAugment").GetBoolean());
        var (bad, _, badErr) = await CliTests.Run("train", "gan", "--preset", "smoke", "--augment-p", "adaptive", "--dry-run",
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, bad);
        Assert.Contains("without an augmentation", badErr);
    }

    [Fact]
    public async Task SmokeTrainingWritesARunFolderResumesAndSamples()
    {
        using var dir = new TempFolder();
        var runs = Path.Combine(dir.Path, "runs");
        var (code, output, err) = await CliTests.Run("train", "gan", "--preset", "smoke", "--runs", runs, "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 4", output);
        var run = Directory.GetDirectories(runs).Single();
        Assert.True(File.Exists(Path.Combine(run, "config.json")));
        var smokeStats = StatsLog.Read(Path.Combine(run, "stats.jsonl"));
        Assert.Equal(4, smokeStats.Max(s => s.Step));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, smokeStats.Where(s => s.Event == null).Select(s => s.Step)); // a short run logs every step…
        Assert.True(File.Exists(Path.Combine(run, "loss-curves.png")));                                         // …so it has a loss curve
        Assert.True(File.Exists(Path.Combine(run, "samples", "fakes-000000004.png")));

        // A changed setting on resume is refused with the list, unless --override (then it is recorded).
        (code, _, err) = await CliTests.Run("train", "gan", "--runs", runs, "--resume", "latest", "--steps", "6", "--batch", "8", "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("Batch: 16 → 8", err);
        Assert.Contains("--override", err);
        (code, output, err) = await CliTests.Run("train", "gan", "--runs", runs, "--resume", "latest", "--steps", "6", "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 6", output);
        Assert.False(File.Exists(Path.Combine(run, "overrides.txt")));
        (code, output, err) = await CliTests.Run("train", "gan", "--runs", runs, "--resume", "latest", "--steps", "8", "--batch", "8", "--override", "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 8", output);
        Assert.Contains("Batch: 16 → 8", File.ReadAllText(Path.Combine(run, "overrides.txt")));
        Assert.Single(Directory.GetDirectories(runs));
        // A later plain resume keeps the accepted override (it once fell back to the run's first settings, silently).
        (code, output, err) = await CliTests.Run("train", "gan", "--runs", runs, "--resume", "latest", "--steps", "9", "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 9", output);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "step-000000009", "manifest.json"))))
            Assert.Equal(8, manifest.RootElement.GetProperty("options").GetProperty("training").GetProperty("batchSize").GetInt32());
        Assert.Single(File.ReadAllLines(Path.Combine(run, "overrides.txt")));

        var png = Path.Combine(dir.Path, "s.png");
        (code, _, err) = await CliTests.Run("sample", "-c", run, "-n", "4", "--seed", "3", "-o", png, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        var first = File.ReadAllBytes(png);
        (code, _, _) = await CliTests.Run("sample", "-c", run, "-n", "4", "--seed", "3", "-o", png, "--device", "cpu");
        Assert.Equal(first, File.ReadAllBytes(png));
        foreach (var mode in new[] { "interpolate", "truncation" })
        {
            (code, _, err) = await CliTests.Run("sample", "-c", run, "-n", "2", "--mode", mode, "--steps", "5", "-o", png, "--device", "cpu");
            Assert.True(code == ExitCodes.Ok, err);
            Assert.InRange(ImageReader.ReadHeader(png).Width, 5 * 28, 5 * 28 + 60);
        }
        // Without -o: into the run folder's samples/, never the current folder; a checkpoint outside a run needs -o.
        (code, _, err) = await CliTests.Run("sample", "-c", run, "-n", "4", "--seed", "3", "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(run, "samples", "sample-grid-seed3.png")));
        (code, _, err) = await CliTests.Run("sample", "-c", Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion"), "-n", "4", "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("-o FILE.png", err);
    }

    [Fact]
    public async Task FeatureNetworkAndEvalWriteMetricLogs()
    {
        using var dir = new TempFolder();
        var runs = Path.Combine(dir.Path, "runs");
        var (code, _, err) = await CliTests.Run("train", "gan", "--preset", "smoke", "--runs", runs, "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        var features = Path.Combine(dir.Path, "features");
        string output;
        (code, output, err) = await CliTests.Run("train", "features", "--data", "bundled:fashion-mnist", "--validation", "bundled:fashion-mnist",
            "--epochs", "1", "-o", features, "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("held-out accuracy", output);
        var run = Directory.GetDirectories(runs).Single();
        (code, output, err) = await CliTests.Run("eval", "-c", run, "--data", "bundled:fashion-mnist", "--features", features, "-n", "16",
            "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("fid", output);
        Assert.Contains("coverage", output);
        var fid = GanSharp.Metrics.MetricLog.Read(run, "fid");
        Assert.Equal(4, Assert.Single(fid).Step);
        Assert.True(fid[0].Values["fid"] >= 0);
        // A feature network for other images is refused by name, not with a library exception.
        (code, _, err) = await CliTests.Run("eval", "-c", run, "--data", "bundled:fashion-mnist", "--features", Path.Combine(DataCommandTests.Assets, "checkpoints", "features-emoji"),
            "-n", "16", "--assets", DataCommandTests.Assets, "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("reads 3-channel images", err);
        Assert.DoesNotContain("Exception", err);
    }

    [Fact]
    public async Task EvalOfANoiseGeneratorIsTheSameForTheSameSeed()
    {
        // StyleGAN2 draws per-layer noise; eval must draw it from its seeded stream, not torch's global one.
        string[] Eval(string seed) => new[] { "eval", "-c", Path.Combine(DataCommandTests.Assets, "checkpoints", "stylegan2-emoji"), "--data", "bundled:emoji:google",
            "--features", Path.Combine(DataCommandTests.Assets, "checkpoints", "features-emoji"), "-n", "16", "--seed", seed, "--metrics", "fid",
            "--assets", DataCommandTests.Assets, "--device", "cpu" };
        static string Fid(string output) => output.Split('\n').Single(l => l.Contains(" fid ") && l.Any(char.IsDigit));
        var (code, first, err) = await CliTests.Run(Eval("5"));
        Assert.True(code == ExitCodes.Ok, err);
        TorchSharp.torch.randn(1000).Dispose();              // moves torch's global stream between the runs
        var (_, second, _) = await CliTests.Run(Eval("5"));
        Assert.Equal(Fid(first), Fid(second));
        var (_, other, _) = await CliTests.Run(Eval("6"));
        Assert.NotEqual(Fid(first), Fid(other));
    }

    [Fact]
    public async Task EvalRepeatsReportTheMeanAndSpreadOfTheSingleSeedRuns()
    {
        string[] Eval(string seed, params string[] more) => new[] { "eval", "-c", Path.Combine(DataCommandTests.Assets, "checkpoints", "stylegan2-emoji"), "--data", "bundled:emoji:google",
            "--features", Path.Combine(DataCommandTests.Assets, "checkpoints", "features-emoji"), "-n", "16", "--seed", seed, "--metrics", "fid",
            "--assets", DataCommandTests.Assets, "--device", "cpu" }.Concat(more).ToArray();
        static double[] Numbers(string output) => output.Split('\n').Single(l => l.Contains(" fid ") && l.Any(char.IsDigit))
            .Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (code, five, err) = await CliTests.Run(Eval("5"));
        Assert.True(code == ExitCodes.Ok, err);
        var (_, six, _) = await CliTests.Run(Eval("6"));
        var (code2, both, err2) = await CliTests.Run(Eval("5", "--repeats", "2"));
        Assert.True(code2 == ExitCodes.Ok, err2);
        double a = Numbers(five)[0], b = Numbers(six)[0];
        var row = Numbers(both); // mean, sd, each seed's value, N, seconds
        Assert.Equal((a + b) / 2, row[0], 3);
        Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), row[1], 3);
        Assert.Equal(a, row[2], 3);
        Assert.Equal(b, row[3], 3);
        var (bad, _, badErr) = await CliTests.Run(Eval("5", "--repeats", "0"));
        Assert.NotEqual(ExitCodes.Ok, bad);
        Assert.Contains("--repeats 0", badErr);
    }

    [Fact]
    public async Task FeatureNetworkTrainsOnTwoEmojiStylesBySubcategory()
    {
        using var dir = new TempFolder();
        var features = Path.Combine(dir.Path, "features");
        var (code, output, err) = await CliTests.Run("train", "features", "--data", "bundled:emoji:google", "--data", "bundled:emoji:twitter",
            "--validation", "bundled:emoji:twitter", "--labels", "subcategory", "--augment", "strong", "--epochs", "1", "--size", "16",
            "--width", "4", "--feature-dim", "8", "--batch", "32", "-o", features, "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        var google = (EmojiDataset)DatasetResolver.Resolve("bundled:emoji:google",
            new DatasetResolveOptions(16, BundledRoot: Path.Combine(DataCommandTests.Assets, "samples"), EmojiLabels: EmojiLabels.Subcategory));
        Assert.Contains($"emoji-google+emoji-twitter ({2 * google.Count} images", output);
        var net = GanSharp.Metrics.FeatureNetwork.Load(features);
        Assert.Equal(google.ClassNames, net.Info!.ClassNames); // the bundled styles draw the same code points
        Assert.Equal(new GanSharp.Metrics.FeatureNetworkConfig(3, 16, google.ClassNames.Count, 4, 8), net.Config);
        (code, _, err) = await CliTests.Run("train", "features", "--data", "bundled:fashion-mnist", "--labels", "subcategory", "-o", features,
            "--assets", DataCommandTests.Assets);
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("emoji data only", err);
    }

    [Fact]
    public async Task BadRequestsAreClearErrors()
    {
        var (code, _, err) = await CliTests.Run("train", "gan", "--preset", "nope");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("smoke", err);
        (code, _, err) = await CliTests.Run("train", "gan", "--data", "bundled:fashion-mnist", "--loss", "bogus", "--assets", DataCommandTests.Assets);
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--loss bogus", err);
        (code, _, err) = await CliTests.Run("train", "gan", "--steps", "5");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--data is required", err);
        using var dir = new TempFolder();
        (code, _, err) = await CliTests.Run("train", "gan", "--preset", "smoke", "--runs", dir.Path, "--resume", "latest");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("no run folders", err);
        (code, _, err) = await CliTests.Run("sample", "-c", dir.Path);
        Assert.Equal(ExitCodes.Error, code);
        Assert.DoesNotContain("   at ", err);
    }
}
