using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Nn;
using GanSharp.Imaging;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Training;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp train gan</c>: adversarial training with presets, --dry-run and --resume.</summary>
public static class TrainCommand
{
    /// <summary>Creates the <c>train</c> command group.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("train", "Train a model (a run folder under runs/ holds config, stats, samples and checkpoints)");
        cmd.Subcommands.Add(Gan(ctx));
        cmd.Subcommands.Add(FeaturesCommand.Create(ctx));
        cmd.Subcommands.Add(TrainEncoderCommand.Create(ctx));
        cmd.Subcommands.Add(TrainPadInvCommand.Create(ctx));
        cmd.Subcommands.Add(TranslateCommands.CreateTrain(ctx));
        return cmd;
    }

    /// <summary>Parses a loss name (<c>ns</c>, <c>minimax</c>, <c>wgan</c>, <c>wgan-gp</c>, <c>lsgan</c>, <c>hinge</c>).</summary>
    public static AdversarialLoss ParseLoss(string text) => text.Trim().ToLowerInvariant().Replace("_", "-") switch
    {
        "ns" or "non-saturating" or "nonsaturating" or "gan" => AdversarialLoss.NonSaturating,
        "minimax" => AdversarialLoss.Minimax,
        "wgan" => AdversarialLoss.Wgan,
        "wgan-gp" or "wgangp" => AdversarialLoss.WganGp,
        "lsgan" => AdversarialLoss.Lsgan,
        "hinge" => AdversarialLoss.Hinge,
        _ => throw new GanSharpException($"--loss {text}: unknown loss", "use ns, minimax, wgan, wgan-gp, lsgan or hinge"),
    };

    static Command Gan(CliContext ctx)
    {
        var cmd = new Command("gan", "Train a GAN: --arch dcgan|stylegan|stylegan2, --loss ns|minimax|wgan|wgan-gp|lsgan|hinge, --data " + DatasetResolver.Forms);
        var preset = new Option<string?>("--preset") { Description = "Named settings: " + string.Join(", ", GanPresets.All.Keys) };
        var data = new Option<string?>("--data") { Description = "Dataset spec: " + DatasetResolver.Forms };
        var arch = new Option<string?>("--arch") { Description = "Architecture: " + string.Join(", ", GanArchitecture.Names) };
        var loss = new Option<string?>("--loss") { Description = "ns (default), minimax, wgan, wgan-gp, lsgan, hinge" };
        var size = new Option<int?>("--size") { Description = "Image side (28, 32, 64 for dcgan)" };
        var gray = new Option<bool?>("--gray") { Description = "Train on gray images" };
        var width = new Option<int?>("--width") { Description = "Network width multiplier" };
        var latent = new Option<int?>("--latent") { Description = "Size of z" };
        var steps = new Option<long?>("--steps") { Description = "Discriminator steps (the generator steps every n_critic)" };
        var batch = new Option<int?>("--batch") { Description = "Batch size" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: the loss's paper value)" };
        var beta1 = new Option<double?>("--beta1") { Description = "Adam beta1 (default: the loss's paper value)" };
        var beta2 = new Option<double?>("--beta2") { Description = "Adam beta2 (default: the loss's paper value)" };
        var critic = new Option<int?>("--critic-steps") { Description = "n_critic (default: the loss's paper value)" };
        var r1 = new Option<double?>("--r1") { Description = "R1 penalty gamma (0: off)" };
        var ema = new Option<double?>("--ema") { Description = "Generator EMA decay" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of data order, latents and weights" };
        var sampleEvery = new Option<int?>("--sample-every") { Description = "Steps between sample grids" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Steps between checkpoints" };
        var desc = new Option<string?>("--desc") { Description = "Run folder description" };
        var runs = new Option<string>("--runs") { Description = "Folder of run folders", DefaultValueFactory = _ => GanSharp.Training.RunFolder.DefaultRoot };
        var resume = new Option<string?>("--resume") { Description = "latest, a run folder or a checkpoint" };
        var nan = new Option<string>("--nan") { Description = "On NaN/Inf: rollback (to the last checkpoint) or stop", DefaultValueFactory = _ => "rollback" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved configuration and exit" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        var divergeOpt = new Option<double>("--diverge-above") { Description = "Treat a loss whose magnitude exceeds this as divergence, handled like NaN by --nan (0: off)", DefaultValueFactory = _ => TrainingOptions.DefaultDivergeAbove };
        var overrideOpt = new Option<bool>("--override") { Description = "With --resume: train with settings that differ from the resumed run's (they are listed and recorded in the run folder)" };
        var augment = new Option<string?>("--augment") { Description = "Differentiable augmentation of D's inputs (DiffAugment): color,translation,cutout | all | none" };
        var augmentP = new Option<string?>("--augment-p")
        {
            Description = "Probability of each augmentation per image: a number in [0, 1] (default 1) or adaptive (ADA's r_t heuristic, from 0; logged as augment_p, saved in checkpoints)",
        };
        var plWeight = new Option<double?>("--pl-weight")
        {
            Description = "StyleGAN2's path length regularisation weight (stylegan, stylegan2; 0: off; the paper: 2), lazy every 4 generator steps on half the batch",
        };
        var conv = ConvPathOption.Create();
        var canaryOpt = new Option<int>("--canary-every")
        {
            Description = "Steps between numerics canaries: while oneDNN is in use on the CPU, re-check G and D against float64 and switch to the safe path if they drift (0: off)",
            DefaultValueFactory = _ => new TrainingOptions().CanaryEvery,
        };
        foreach (var o in new Option[] { preset, data, arch, loss, size, gray, width, latent, steps, batch, lr, critic, r1, ema, seed, sampleEvery, checkpointEvery, desc, runs, resume, nan, dryRun, assets, conv, beta1, beta2, augment, augmentP, plWeight, overrideOpt, divergeOpt, canaryOpt })
            cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var flags = new GanTrainSettings(parse.GetValue(data), parse.GetValue(arch), parse.GetValue(loss) is { } l ? ParseLoss(l) : null,
                parse.GetValue(size), parse.GetValue(gray), parse.GetValue(width), parse.GetValue(latent), parse.GetValue(steps),
                parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(critic), parse.GetValue(r1), parse.GetValue(ema),
                parse.GetValue(seed), parse.GetValue(sampleEvery), parse.GetValue(checkpointEvery), parse.GetValue(desc),
                parse.GetValue(beta1), parse.GetValue(beta2), parse.GetValue(augment) is { } au ? DiffAugment.Format(DiffAugment.Parse(au)) : null,
                parse.GetValue(augmentP) is { } ap ? ap.Trim().ToLowerInvariant() : null, parse.GetValue(plWeight));
            var nanPolicy = parse.GetValue(nan)!.ToLowerInvariant() switch
            {
                "rollback" => NanPolicy.Rollback,
                "stop" => NanPolicy.Stop,
                var other => throw new GanSharpException($"--nan {other}: use rollback or stop"),
            };
            string runsRoot = parse.GetValue(runs)!;
            ResumePoint? resumePoint = parse.GetValue(resume) is { } r ? RunFolder.Resolve(runsRoot, r) : null;
            // Precedence: defaults < (the resumed run's settings) < preset < flags.
            var settings = GanTrainSettings.Defaults;
            if (resumePoint?.RunFolderPath is { } resumedRun) settings = settings.Merge(TrainingRuns.ReadSettings<GanTrainSettings>(resumedRun, "train gan"));
            var resumedSettings = settings;
            if (parse.GetValue(preset) is { } p) settings = settings.Merge(GanPresets.Get(p));
            settings = settings.Merge(flags);
            IReadOnlyList<string> overrides = resumePoint?.RunFolderPath is null ? Array.Empty<string>()
                : TrainingRuns.Overrides(resumedSettings, settings, parse.GetValue(overrideOpt));
            if (settings.Data == null) throw new GanSharpException("--data is required (or a --preset that sets it)", "e.g. --data fashion-mnist or --preset dcgan-fashion");

            var device = compute.Apply(parse);
            var dataset = DatasetResolver.Resolve(settings.Data, new DatasetResolveOptions(settings.Size!.Value, settings.Gray == true ? ImageMode.Gray : ImageMode.Rgb,
                BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)), ExactSize: true));
            var shape = new ImageShape(dataset.Channels, dataset.Height, dataset.Width);
            var (augmentProbability, adaptiveAugment) = GanOptions.ParseAugmentProbability(settings.AugmentP);
            var options = new GanOptions(settings.Loss!.Value, settings.CriticSteps, LearningRate: settings.LearningRate,
                Beta1: settings.Beta1, Beta2: settings.Beta2, R1Gamma: settings.R1Gamma ?? 0, EmaBeta: settings.EmaBeta ?? 0.999,
                Augment: DiffAugment.Parse(settings.Augment), AugmentProbability: augmentProbability, AdaptiveAugment: adaptiveAugment,
                PathLengthWeight: settings.PathLength ?? 0).Validate();
            var training = new TrainingOptions(Steps: settings.Steps!.Value, BatchSize: settings.Batch!.Value, Seed: settings.Seed!.Value,
                SampleEvery: settings.SampleEvery!.Value, CheckpointEvery: settings.CheckpointEvery!.Value, Nan: nanPolicy,
                DivergeAbove: parse.GetValue(divergeOpt), CanaryEvery: parse.GetValue(canaryOpt)).Validate();
            var architecture = GanArchitecture.Default(settings.Arch!, shape, options.Loss, settings.Width, settings.Latent);
            // Before seeding: the check builds its own networks from the global stream.
            if (!parse.GetValue(dryRun))
                ConvPathOption.Apply(parse.GetValue(conv), device, architecture.AllConvolutionsChannelPadded, $"{settings.Arch} G and D at batch {training.BatchSize}",
                    $"{architecture.Arch} {architecture.Config.GetRawText()} batch {training.BatchSize}", () => architecture.NumericsError(training.BatchSize, device));
            TorchSharp.torch.manual_seed((long)training.Seed);
            using var method = architecture.CreateMethod(options, device);
            var trainer = new Trainer(method, dataset, training, device);
            var config = CheckpointWriter.ToJson(new { settings, resolved = trainer.ResolvedConfig() });
            if (parse.GetValue(dryRun))
            {
                ctx.Output.WriteLine(JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(ExitCodes.Ok);
            }
            using var run = resumePoint?.RunFolderPath is { } existing ? RunFolder.Open(existing) : RunFolder.Create(runsRoot, "gan", settings.Description ?? $"{settings.Arch}-{TrainingRuns.Slug(settings.Data)}", config);
            ctx.Error.WriteLine($"run folder: {run.Path}");
            if (resumePoint is not null) TrainingRuns.Record(ctx, run, resumePoint.CheckpointPath, overrides, config);
            var result = TrainingProgressView.Run(ctx, $"gan/{settings.Arch}/{options.Loss}", training.Steps,
                progress => trainer.Run(run, resumePoint?.CheckpointPath, progress, cancel));
            return Task.FromResult(TrainingRuns.Finish(ctx, result, run));
        });
        return cmd;
    }
}
