using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Translation;
using GanSharp.Methods.Translation.CycleGan;
using GanSharp.Methods.Translation.UGatIt;
using GanSharp.Models;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>Settings of <c>gansharp train translate</c>; null means "not given" (so presets and flags merge).</summary>
public sealed record TranslateTrainSettings(string? A = null, string? B = null, int? Size = null, long? Steps = null, int? Width = null, int? Blocks = null,
    int? Batch = null, double? LearningRate = null, double? CycleWeight = null, double? IdentityWeight = null, int? Pool = null, ulong? Seed = null,
    int? SampleEvery = null, int? CheckpointEvery = null, string? Description = null, string? Method = null, double? CamWeight = null, bool? Light = null)
{
    /// <summary>The defaults: the paper's settings at 64 px (batch 1, λ = 10, identity 0.5·λ, pool 50, ngf = ndf = 64, 6 blocks).</summary>
    public static TranslateTrainSettings Defaults { get; } = new(Size: 64, Steps: 20000, Width: 64, Blocks: 6, Batch: 1, Seed: 0, SampleEvery: 500, CheckpointEvery: 1000);

    /// <summary>Named presets. <c>cyclegan-emoji</c>: the bundled translator's data, size and width (Google ↔ Twitter training
    /// code points, 64 px, ngf = ndf = 16; it was trained 4,000 steps and resumed to 20,000, assets/ASSETS.md).</summary>
    public static IReadOnlyDictionary<string, TranslateTrainSettings> Presets { get; } = new Dictionary<string, TranslateTrainSettings>(StringComparer.OrdinalIgnoreCase)
    {
        ["cyclegan-emoji"] = new(A: "emoji:google:train", B: "emoji:twitter:train", Size: 64, Width: 16, Description: "cyclegan-emoji"),
    };

    /// <summary>This with every value <paramref name="over"/> sets replaced.</summary>
    public TranslateTrainSettings Merge(TranslateTrainSettings over) => new(over.A ?? A, over.B ?? B, over.Size ?? Size, over.Steps ?? Steps,
        over.Width ?? Width, over.Blocks ?? Blocks, over.Batch ?? Batch, over.LearningRate ?? LearningRate, over.CycleWeight ?? CycleWeight,
        over.IdentityWeight ?? IdentityWeight, over.Pool ?? Pool, over.Seed ?? Seed, over.SampleEvery ?? SampleEvery, over.CheckpointEvery ?? CheckpointEvery,
        over.Description ?? Description, over.Method ?? Method, over.CamWeight ?? CamWeight, over.Light ?? Light);

    /// <summary>Flags that only one method reads, with that method and their value in these settings.</summary>
    public IEnumerable<(string Flag, string Method, object? Value)> MethodOnly() => new (string, string, object?)[]
    {
        ("--pool", "cyclegan", Pool),
        ("--cam-weight", "ugatit", CamWeight),
        ("--light", "ugatit", Light),
    };

    /// <summary>
    /// A resumed run's settings as they were meant: U-GAT-IT runs recorded before the full model existed were all light
    /// (their settings have no <see cref="Light"/>).
    /// </summary>
    public TranslateTrainSettings AsRecorded() => Method == "ugatit" && Light is null ? this with { Light = true } : this;
}

/// <summary>
/// <c>gansharp train translate</c> (unpaired translation between two domains; CycleGAN, or U-GAT-IT, full or light) and <c>gansharp translate</c>
/// (apply a trained translator to images).
/// </summary>
public static class TranslateCommands
{
    /// <summary>Methods <c>train translate --method</c> knows.</summary>
    public static readonly string[] Methods = { "cyclegan", "ugatit" };

    /// <summary>Creates <c>train translate</c>.</summary>
    public static Command CreateTrain(CliContext ctx)
    {
        var cmd = new Command("translate", "Train an unpaired image-to-image translator between domains A and B (--method cyclegan, or ugatit [--light])");
        var method = new Option<string?>("--method") { Description = "Translation method: cyclegan (default) or ugatit (U-GAT-IT, ICLR 2020)" };
        var light = new Option<bool>("--light")
        {
            Description = "U-GAT-IT's light variant: AdaLIN's γ, β from the average-pooled attention features instead of the whole flattened map (the full model, the default; its first MLP layer grows with (size/4)²)",
        };
        var preset = new Option<string?>("--preset") { Description = "Named settings: " + string.Join(", ", TranslateTrainSettings.Presets.Keys) };
        var a = new Option<string?>("--a") { Description = "Domain A: " + DatasetResolver.Forms };
        var b = new Option<string?>("--b") { Description = "Domain B: " + DatasetResolver.Forms };
        var size = new Option<int?>("--size") { Description = "Image side: 32 or 64 (default 64)" };
        var steps = new Option<long?>("--steps") { Description = "Training steps (the learning rate decays linearly to 0 over the second half)" };
        var width = new Option<int?>("--width") { Description = "ngf = ndf: channels of the first generator/discriminator layer (default 64)" };
        var blocks = new Option<int?>("--blocks") { Description = "Residual blocks of the generators (default 6)" };
        var batch = new Option<int?>("--batch") { Description = "Images per domain per step (default 1, as the paper)" };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate (default 0.0002)" };
        var cycle = new Option<double?>("--cycle-weight") { Description = "λ of the cycle loss (default 10)" };
        var identity = new Option<double?>("--identity-weight") { Description = "CycleGAN: identity loss weight as a fraction of λ (default 0.5; 0: off); U-GAT-IT: its absolute weight (default 10)" };
        var pool = new Option<int?>("--pool") { Description = "History pool size (default 50; 0: off; CycleGAN only)" };
        var cam = new Option<double?>("--cam-weight") { Description = "Weight of the generators' CAM loss (default 1000, as the paper; U-GAT-IT only)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of data order, pool draws and weights" };
        var sampleEvery = new Option<int?>("--sample-every") { Description = "Steps between sample grids" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Steps between checkpoints" };
        var desc = new Option<string?>("--desc") { Description = "Run folder description" };
        var runs = new Option<string>("--runs") { Description = "Folder of run folders", DefaultValueFactory = _ => GanSharp.Training.RunFolder.DefaultRoot };
        var resume = new Option<string?>("--resume") { Description = "latest, a run folder or a checkpoint" };
        var overrideOpt = new Option<bool>("--override") { Description = "With --resume: train with settings that differ from the resumed run's (they are listed and recorded in the run folder); --steps may change without it (the linear decay then spans the new total)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved configuration and exit" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        foreach (var o in new Option[] { method, light, preset, a, b, size, steps, width, blocks, batch, lr, cycle, identity, pool, cam, seed, sampleEvery, checkpointEvery, desc, runs, resume, overrideOpt, dryRun, assets })
            cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            string runsRoot = parse.GetValue(runs)!;
            ResumePoint? resumePoint = parse.GetValue(resume) is { } r ? RunFolder.Resolve(runsRoot, r) : null;
            // Precedence: defaults < (the resumed run's settings) < preset < flags.
            var settings = TranslateTrainSettings.Defaults;
            if (resumePoint?.RunFolderPath is { } resumedRun) settings = settings.Merge(TrainingRuns.ReadSettings<TranslateTrainSettings>(resumedRun, "train translate").AsRecorded());
            var resumedSettings = settings;
            if (parse.GetValue(preset) is { } p)
                settings = settings.Merge(TranslateTrainSettings.Presets.TryGetValue(p, out var named) ? named
                    : throw new GanSharpException($"--preset {p}: unknown", "use one of: " + string.Join(", ", TranslateTrainSettings.Presets.Keys)));
            settings = settings.Merge(new TranslateTrainSettings(parse.GetValue(a), parse.GetValue(b), parse.GetValue(size), parse.GetValue(steps), parse.GetValue(width),
                parse.GetValue(blocks), parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(cycle), parse.GetValue(identity), parse.GetValue(pool),
                parse.GetValue(seed), parse.GetValue(sampleEvery), parse.GetValue(checkpointEvery), parse.GetValue(desc), parse.GetValue(method)?.Trim().ToLowerInvariant(),
                parse.GetValue(cam), parse.GetValue(light) ? true : null));
            string methodName = settings.Method ?? "cyclegan";
            if (!Methods.Contains(methodName)) throw new GanSharpException($"--method {methodName}: unknown translation method", "use one of: " + string.Join(", ", Methods));
            settings = settings with { Method = methodName };
            if (methodName == UGatItMethod.MethodName) settings = settings with { Light = settings.Light ?? false }; // recorded, so a resume rebuilds the same model
            foreach (var (flag, only, value) in settings.MethodOnly())
                if (value is not null && only != methodName)
                    throw new GanSharpException($"{flag} applies to --method {only} only, not {methodName}", $"drop {flag}, or train with --method {only}");
            IReadOnlyList<string> overrides = resumePoint?.RunFolderPath is null ? Array.Empty<string>()
                : TrainingRuns.Overrides(resumedSettings, settings, parse.GetValue(overrideOpt));
            if (settings.A is null || settings.B is null)
                throw new GanSharpException("--a and --b are required (or a --preset that sets them)", "e.g. --a emoji:google:train --b emoji:twitter:train, or --preset cyclegan-emoji");
            if (settings.Size is not (32 or 64)) throw new GanSharpException($"--size {settings.Size}: use 32 or 64");

            var device = compute.Apply(parse);
            var resolve = new DatasetResolveOptions(settings.Size.Value, ImageMode.Rgb, BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)), ExactSize: true);
            var data = new UnpairedDataset(DatasetResolver.Resolve(settings.A, resolve), DatasetResolver.Resolve(settings.B, resolve));
            var training = new TrainingOptions(Steps: settings.Steps!.Value, BatchSize: settings.Batch!.Value, Seed: settings.Seed!.Value,
                SampleEvery: settings.SampleEvery!.Value, CheckpointEvery: settings.CheckpointEvery!.Value, SampleCount: 8,
                Schedule: LrSchedule.LinearDecay, DecayFraction: 0.5).Validate();
            manual_seed((long)training.Seed);
            using ITrainingMethod m = methodName == UGatItMethod.MethodName ? CreateUGatIt(settings, data, device, training.Seed) : CreateCycleGan(settings, data, device, training.Seed);
            var architecture = (ImageShape)(m.Architecture is UGatItConfig uc ? uc.Image : ((CycleGanConfig)m.Architecture).Image);
            var trainer = new Trainer(m, data, training, device);
            var runConfig = CheckpointWriter.ToJson(new { settings, resolved = trainer.ResolvedConfig() });
            if (parse.GetValue(dryRun))
            {
                ctx.Output.WriteLine(JsonSerializer.Serialize(runConfig, new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(ExitCodes.Ok);
            }
            using var run = resumePoint?.RunFolderPath is { } existing ? RunFolder.Open(existing)
                : RunFolder.Create(runsRoot, methodName, settings.Description ?? $"{TrainingRuns.Slug(settings.A)}-to-{TrainingRuns.Slug(settings.B)}", runConfig);
            ctx.Error.WriteLine($"run folder: {run.Path}");
            if (resumePoint is not null) TrainingRuns.Record(ctx, run, resumePoint.CheckpointPath, overrides, runConfig);
            var result = TrainingProgressView.Run(ctx, $"translate/{methodName} {architecture.Height}px", training.Steps,
                progress => trainer.Run(run, resumePoint?.CheckpointPath, progress, cancel));
            return Task.FromResult(TrainingRuns.Finish(ctx, result, run));
        });
        return cmd;
    }

    /// <summary>Creates <c>translate</c>.</summary>
    public static Command CreateTranslate(CliContext ctx)
    {
        var cmd = new Command("translate", "Translate images with a trained translator (gansharp train translate): one PNG per input with the same name, plus a side-by-side sheet");
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A translation checkpoint (checkpoint folder, run folder, or latest)", Required = true };
        var images = new Option<string>("--images", "-i") { Description = "An image file or a folder of images", Required = true };
        var direction = new Option<string>("--direction") { Description = "a2b or b2a", DefaultValueFactory = _ => "a2b" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder", Required = true };
        var resize = new Option<bool>("--resize") { Description = "Resize (centre crop + scale) images whose size differs from the model's instead of refusing them" };
        var shardOpt = ShardOption.Create();
        foreach (var o in new Option[] { checkpoint, images, direction, output, resize, shardOpt }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var dir = TranslationDirections.Parse(parse.GetValue(direction)!);
            using var loaded = Translators.Load(parse.GetValue(checkpoint)!, device);
            var translator = loaded.Translator;
            var shard = ShardOption.Read(parse, shardOpt);
            var (x, names) = InversionCliOptions.ReadImages(parse.GetValue(images)!, loaded.Image, parse.GetValue(resize), "--images", shard);
            var outDir = parse.GetValue(output)!;
            using var scope = NewDisposeScope();
            var outputs = new List<Tensor>();
            var heatMaps = new List<Tensor>();
            for (long start = 0; start < x.shape[0]; start += 16)
            {
                cancel.ThrowIfCancellationRequested();
                var chunk = x.narrow(0, start, Math.Min(16, x.shape[0] - start)); // [n, C, H, W]
                if (translator is IAttentionTranslator attention)
                {
                    var (translated, heat) = attention.TranslateWithAttention(chunk, dir);
                    outputs.Add(translated.cpu());
                    heatMaps.Add(heat.cpu()); // [n, 1, H/4, W/4]
                }
                else outputs.Add(translator.Translate(chunk, dir).cpu());
            }
            var y = cat(outputs, 0).clamp(-1, 1); // [N, C, H, W]
            InversionCliOptions.WriteEach(y, names, outDir);
            if (heatMaps.Count > 0) // U-GAT-IT: the generator's CAM attention, scaled per image, white = most attended
                InversionCliOptions.WriteEach(UGatItMethod.HeatMapImages(cat(heatMaps, 0), (int)loaded.Image.Height), names, Path.Combine(outDir, "attention"));
            var sheet = Path.Combine(outDir, $"sheet-{dir.Name()}{shard.Suffix}.png");
            if (names.Contains(Path.GetFileNameWithoutExtension(sheet)))
                sheet = Path.Combine(outDir, $"sheet-{dir.Name()}-{Guid.NewGuid():N}.png");
            var pairs = stack(new[] { x, y }, 1).flatten(0, 1); // [2N, C, H, W]: input, translation
            var captions = names.SelectMany(n => new[] { n, "→ " + (dir == TranslationDirection.AToB ? "B" : "A") }).ToList();
            SampleGrid.WritePng(pairs, sheet, new GridOptions(Columns: Math.Min(8, 2 * names.Count), Scale: InversionCliOptions.GridScale(loaded.Image),
                Captions: captions, Title: $"translate {dir.Name()} (step {loaded.Step}): input | translation"));
            ctx.Output.WriteLine($"translated {names.Count} image(s) {dir.Name()}; wrote {outDir}/ and {sheet}{(heatMaps.Count > 0 ? $" and attention maps in {Path.Combine(outDir, "attention")}/" : "")}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    static CycleGanMethod CreateCycleGan(TranslateTrainSettings settings, UnpairedDataset data, Device device, ulong seed)
    {
        var config = new CycleGanConfig(data.A.Channels, settings.Size!.Value, settings.Width!.Value, settings.Blocks!.Value, settings.Width.Value).Validate();
        var defaults = new CycleGanOptions();
        var options = (defaults with
        {
            LearningRate = settings.LearningRate ?? defaults.LearningRate,
            CycleWeight = settings.CycleWeight ?? defaults.CycleWeight,
            IdentityWeight = settings.IdentityWeight ?? defaults.IdentityWeight,
            PoolSize = settings.Pool ?? defaults.PoolSize,
        }).Validate();
        return new CycleGanMethod(config, options, device, data, seed);
    }

    /// <summary>U-GAT-IT, full or light; the global discriminator has 3 stride-2 layers at 32 px and 4 at 64 px, the local one 2.</summary>
    static UGatItMethod CreateUGatIt(TranslateTrainSettings settings, UnpairedDataset data, Device device, ulong seed)
    {
        int size = settings.Size!.Value;
        var config = new UGatItConfig(data.A.Channels, size, settings.Width!.Value, settings.Blocks!.Value, settings.Width.Value, GlobalLayers: size >= 64 ? 4 : 3, LocalLayers: 2,
            Light: settings.Light ?? false).Validate();
        var defaults = new UGatItOptions();
        var options = (defaults with
        {
            LearningRate = settings.LearningRate ?? defaults.LearningRate,
            CycleWeight = settings.CycleWeight ?? defaults.CycleWeight,
            IdentityWeight = settings.IdentityWeight ?? defaults.IdentityWeight,
            CamWeight = settings.CamWeight ?? defaults.CamWeight,
        }).Validate();
        return new UGatItMethod(config, options, device, data, seed);
    }

}
