using System.Text.Json;
using GanSharp.Cli;
using GanSharp.Cli.Commands;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Tests.Data;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class TranslationCommandTests
{
    [Fact]
    public async Task TrainsCycleGanOnBundledEmojiResumesAndTranslatesTwoImages()
    {
        using var dir = new TempFolder();
        var runs = Path.Combine(dir.Path, "runs");
        string[] Train(params string[] extra) => new[] { "train", "translate", "--method", "cyclegan", "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter",
            "--size", "32", "--width", "4", "--blocks", "1", "--sample-every", "2", "--checkpoint-every", "2", "--runs", runs,
            "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1" }.Concat(extra).ToArray();
        var (code, output, err) = await CliTests.Run(Train("--steps", "4"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 4", output);
        var run = Directory.GetDirectories(runs).Single();
        var stats = StatsLog.Read(Path.Combine(run, "stats.jsonl"));
        Assert.Equal(4, stats.Max(s => s.Step));
        Assert.True(File.Exists(Path.Combine(run, "samples", "fakes-000000002.png")));
        Assert.True(File.Exists(Path.Combine(run, "samples", "fakes-000000004.png")));
        Assert.Contains(stats, s => s.Scalars.ContainsKey("cycle_a") && s.Scalars.ContainsKey("d_loss"));

        (code, output, err) = await CliTests.Run("train", "translate", "--runs", runs, "--resume", "latest", "--steps", "6", "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 6", output);
        Assert.Single(Directory.GetDirectories(runs));
        // A changed setting on resume is refused unless --override (then recorded in the run folder).
        (code, _, err) = await CliTests.Run("train", "translate", "--runs", runs, "--resume", "latest", "--steps", "6", "--lr", "0.001", "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("LearningRate", err);
        Assert.Contains("--override", err);
        (code, _, err) = await CliTests.Run("train", "translate", "--runs", runs, "--resume", "latest", "--steps", "6", "--lr", "0.001", "--override", "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("LearningRate", File.ReadAllText(Path.Combine(Directory.GetDirectories(runs).Single(), "overrides.txt")));

        // Two 32 px images of domain A, and one of the wrong size.
        var inputs = Path.Combine(dir.Path, "in");
        Directory.CreateDirectory(inputs);
        var google = DatasetResolver.Resolve("bundled:emoji:google", new DatasetResolveOptions(32, ImageMode.Rgb, BundledRoot: Path.Combine(DataCommandTests.Assets, "samples"), ExactSize: true));
        var x = GanSharp.Data.DataLoader.LoadAll(new Subset(google, new[] { 0, 1 }));
        ImageWriter.WritePng(x[0], Path.Combine(inputs, "first.png"));
        ImageWriter.WritePng(x[1], Path.Combine(inputs, "second.png"));
        var outDir = Path.Combine(dir.Path, "out");
        (code, output, err) = await CliTests.Run("translate", "-c", run, "--images", inputs, "--direction", "a2b", "-o", outDir, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("translated 2 image(s) a2b", output);
        foreach (var name in new[] { "first.png", "second.png" })
        {
            var header = ImageReader.ReadHeader(Path.Combine(outDir, name));
            Assert.Equal((32, 32), (header.Width, header.Height));
        }
        Assert.True(File.Exists(Path.Combine(outDir, "sheet-a2b.png")));
        // Two shards of the folder write one image each, byte-identical to the unsharded run, and their own sheets.
        var sharded = Path.Combine(dir.Path, "sharded");
        foreach (var k in new[] { "0/2", "1/2" })
        {
            (code, output, err) = await CliTests.Run("translate", "-c", run, "--images", inputs, "--direction", "a2b", "-o", sharded, "--shard", k, "--device", "cpu");
            Assert.True(code == ExitCodes.Ok, err);
            Assert.Contains("translated 1 image(s) a2b", output);
        }
        foreach (var name in new[] { "first.png", "second.png" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, name)), File.ReadAllBytes(Path.Combine(sharded, name)));
        Assert.True(File.Exists(Path.Combine(sharded, "sheet-a2b-shard0of2.png")) && File.Exists(Path.Combine(sharded, "sheet-a2b-shard1of2.png")));

        var big = Path.Combine(dir.Path, "big.png");
        ImageWriter.WritePng(nn.functional.interpolate(x[..1], new long[] { 40, 40 }, mode: InterpolationMode.Nearest)[0], big);
        (code, _, err) = await CliTests.Run("translate", "-c", run, "--images", big, "--direction", "b2a", "-o", outDir, "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("--resize", err);
        (code, _, err) = await CliTests.Run("translate", "-c", run, "--images", big, "--direction", "b2a", "--resize", "-o", outDir, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.True(File.Exists(Path.Combine(outDir, "big.png")));
        (code, _, err) = await CliTests.Run("translate", "-c", run, "--images", big, "--direction", "sideways", "-o", outDir, "--device", "cpu");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("a2b or b2a", err);
    }

    [Fact]
    public async Task TrainsUGatItLightOnBundledEmojiAndTranslatesWithAttentionMaps()
    {
        using var dir = new TempFolder();
        var runs = Path.Combine(dir.Path, "runs");
        var (code, output, err) = await CliTests.Run("train", "translate", "--method", "ugatit", "--light", "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter",
            "--size", "32", "--width", "4", "--blocks", "1", "--steps", "3", "--sample-every", "3", "--checkpoint-every", "3", "--runs", runs,
            "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 3", output);
        var run = Directory.GetDirectories(runs).Single();
        var stats = StatsLog.Read(Path.Combine(run, "stats.jsonl"));
        Assert.Contains(stats, s => s.Scalars.ContainsKey("cam_a") && s.Scalars.ContainsKey("d_loss") && s.Scalars.ContainsKey("cycle_b"));
        Assert.True(File.Exists(Path.Combine(run, "samples", "fakes-000000003.png")));
        // A resumed run keeps its method (stored in the run's settings), without --method.
        (code, output, err) = await CliTests.Run("train", "translate", "--runs", runs, "--resume", "latest", "--steps", "4", "--checkpoint-every", "4",
            "--assets", DataCommandTests.Assets, "--device", "cpu", "--threads", "1");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("finished at step 4", output);
        Assert.Single(Directory.GetDirectories(runs));

        var inputs = Path.Combine(dir.Path, "in");
        Directory.CreateDirectory(inputs);
        var google = DatasetResolver.Resolve("bundled:emoji:google", new DatasetResolveOptions(32, ImageMode.Rgb, BundledRoot: Path.Combine(DataCommandTests.Assets, "samples"), ExactSize: true));
        var x = GanSharp.Data.DataLoader.LoadAll(new Subset(google, new[] { 0 }));
        ImageWriter.WritePng(x[0], Path.Combine(inputs, "smile.png"));
        var outDir = Path.Combine(dir.Path, "out");
        (code, output, err) = await CliTests.Run("translate", "-c", run, "--images", inputs, "--direction", "a2b", "-o", outDir, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("translated 1 image(s) a2b", output);
        Assert.Equal((32, 32), ReadSize(Path.Combine(outDir, "smile.png")));
        Assert.Equal((32, 32), ReadSize(Path.Combine(outDir, "attention", "smile.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "sheet-a2b.png")));

        // The slim export keeps the two generators only, and translates exactly as the full checkpoint.
        var slim = Path.Combine(dir.Path, "slim");
        (code, _, err) = await CliTests.Run("export", "-c", run, "-o", slim);
        Assert.True(code == ExitCodes.Ok, err);
        var files = GanSharp.Checkpoints.CheckpointReader.Open(slim).Manifest.Files;
        Assert.Equal(new[] { "g_ab", "g_ba" }, files.Where(f => f.Kind == GanSharp.Checkpoints.CheckpointFileKind.Module).Select(f => f.Name).Order().ToArray());
        Assert.DoesNotContain(files, f => f.Kind == GanSharp.Checkpoints.CheckpointFileKind.Optimizer);
        var slimOut = Path.Combine(dir.Path, "slim-out");
        (code, _, err) = await CliTests.Run("translate", "-c", slim, "--images", inputs, "--direction", "a2b", "-o", slimOut, "--device", "cpu");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "smile.png")), File.ReadAllBytes(Path.Combine(slimOut, "smile.png")));

        (code, _, err) = await CliTests.Run("train", "translate", "--method", "munit", "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter", "--runs", runs,
            "--assets", DataCommandTests.Assets, "--device", "cpu", "--dry-run");
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("ugatit", err);
    }

    [Fact]
    public async Task CamWeightReachesUGatItsOptionsAndIsRefusedForCycleGan()
    {
        string[] DryRun(string method, params string[] extra) => new[] { "train", "translate", "--method", method, "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter",
            "--size", "32", "--width", "4", "--blocks", "1", "--assets", DataCommandTests.Assets, "--device", "cpu", "--dry-run" }.Concat(extra).ToArray();
        double CamWeight(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("resolved").GetProperty("options").GetProperty("camWeight").GetDouble();
        }

        var (code, output, err) = await CliTests.Run(DryRun("ugatit"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(1000, CamWeight(output)); // the paper's weight by default
        (code, output, err) = await CliTests.Run(DryRun("ugatit", "--cam-weight", "10"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(10, CamWeight(output));
        using (var doc = JsonDocument.Parse(output))
            Assert.Equal(10, doc.RootElement.GetProperty("settings").GetProperty("camWeight").GetDouble());

        // A flag only the other method reads is refused rather than ignored, in both directions.
        (code, _, err) = await CliTests.Run(DryRun("cyclegan", "--cam-weight", "10"));
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("--cam-weight applies to --method ugatit only", err);
        (code, _, err) = await CliTests.Run(DryRun("ugatit", "--pool", "10"));
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("--pool applies to --method cyclegan only", err);
        (code, _, err) = await CliTests.Run(DryRun("ugatit", "--cam-weight", "-1"));
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("CAM weight", err);
    }

    [Fact]
    public async Task CycleGanEmojiPresetIsTheBundledTranslatorsSizeAndWidthAndFlagsWin()
    {
        // The preset's own data are the cached emoji sets; the bundled samples stand in (flags override a preset).
        string[] DryRun(params string[] extra) => new[] { "train", "translate", "--preset", "cyclegan-emoji", "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter",
            "--assets", DataCommandTests.Assets, "--device", "cpu", "--dry-run" }.Concat(extra).ToArray();
        static (int Size, int Width, string Method) Settings(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var s = doc.RootElement.GetProperty("settings");
            return (s.GetProperty("size").GetInt32(), s.GetProperty("width").GetInt32(), s.GetProperty("method").GetString()!);
        }
        var (code, output, err) = await CliTests.Run(DryRun());
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal((64, 16, "cyclegan"), Settings(output));   // assets/checkpoints/cyclegan-emoji: 64 px, ngf = ndf = 16
        (code, output, err) = await CliTests.Run(DryRun("--size", "32"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal((32, 16, "cyclegan"), Settings(output));
    }

    [Fact]
    public async Task UGatItIsTheFullModelUnlessLightAndOldRunsResumeLight()
    {
        string[] DryRun(string method, params string[] extra) => new[] { "train", "translate", "--method", method, "--a", "bundled:emoji:google", "--b", "bundled:emoji:twitter",
            "--size", "32", "--width", "4", "--blocks", "1", "--assets", DataCommandTests.Assets, "--device", "cpu", "--dry-run" }.Concat(extra).ToArray();
        static bool Light(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("settings").GetProperty("light").GetBoolean();
        }
        var (code, output, err) = await CliTests.Run(DryRun("ugatit"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.False(Light(output));                       // the paper's full model by default, recorded for resumes
        (code, output, err) = await CliTests.Run(DryRun("ugatit", "--light"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.True(Light(output));
        (code, _, err) = await CliTests.Run(DryRun("cyclegan", "--light"));
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("--light applies to --method ugatit only", err);
        (code, _, err) = await CliTests.Run(DryRun("ugatit").Select(x => x switch { "32" => "64", "4" => "256", _ => x }).ToArray());   // --size 64 --width 256
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("--light", err);                   // a full model too large to build says how to shrink it

        // Settings recorded before the full model existed (no light field) are U-GAT-IT light runs.
        Assert.True(new TranslateTrainSettings(Method: "ugatit").AsRecorded().Light);
        Assert.False(new TranslateTrainSettings(Method: "ugatit", Light: false).AsRecorded().Light);
        Assert.Null(new TranslateTrainSettings(Method: "cyclegan").AsRecorded().Light);
    }

    static (int, int) ReadSize(string path)
    {
        var header = ImageReader.ReadHeader(path);
        return (header.Width, header.Height);
    }
}
