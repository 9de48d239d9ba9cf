using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp restore</c>: inpainting, super-resolution, colorization or denoising with a GAN prior (single code or
/// mGANprior). By default the inputs are clean images and the tool synthesises the degradation (so the comparison shows
/// the truth); with <c>--observed</c> the inputs are already degraded. The task's classical baseline
/// (<see cref="ClassicalBaseline"/>) is written next to the GAN's restoration for comparison.
/// </summary>
public static class RestoreCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("restore", "Restore images with a GAN prior: inpaint, sr (super-resolution), colorize or denoise");
        var task = new Option<string>("--task") { Description = "inpaint, sr, colorize or denoise", Required = true };
        var image = new Option<string>("--image", "-i") { Description = "An image file or a folder of images", Required = true };
        var mask = new Option<string?>("--mask") { Description = "Inpainting mask PNG (white = known pixel); default: a centred box over half the side" };
        var scale = new Option<int>("--scale") { Description = "Super-resolution factor: 2 or 4", DefaultValueFactory = _ => 4 };
        var sigma = new Option<double>("--sigma") { Description = "Denoise: noise level added to clean inputs, in [-1, 1] units", DefaultValueFactory = _ => DenoiseDegradation.DefaultSigma };
        var observed = new Option<bool>("--observed") { Description = "The inputs are already degraded (low-resolution, gray, noisy, or with holes given by --mask)" };
        var baselineData = new Option<string>("--baseline-data")
        {
            Description = "Training images the classical baseline is fitted on (colorize: their mean colour; denoise: the Gaussian filter's width for --sigma): " +
                          $"a dataset spec ({DatasetResolver.Forms}), none for no baseline, or auto: the generator's training data when its checkpoint names a dataset spec",
            DefaultValueFactory = _ => "auto",
        };
        var restarts = new Option<int?>("--restarts")
        {
            Description = "Restorations from different random starts (seeds --seed, --seed + 1, …) averaged: an estimate of the posterior mean, which " +
                          $"tones down the guesses they disagree on (colorization's colours); batched as copies of the images, so that many times the work (for a few images less in time). At most 64. Default: {Degradations.DefaultRestarts(RestorationTask.Colorize)} for colorize, {Degradations.DefaultRestarts(RestorationTask.Inpaint)} for inpaint, else 1",
        };
        foreach (var opt in new Option[] { task, image, mask, scale, sigma, observed, baselineData, restarts }) cmd.Options.Add(opt);
        // mGANprior by default: one DCGAN code reconstructs held-out Fashion-MNIST at about 20 dB, below the 21.7 dB of the
        // σ = 0.2 noisy input, so a single code cannot denoise it; 10 codes reach 24 dB (bench inversion, bench/README.md).
        var o = InversionCliOptions.AddTo(cmd, defaultMethod: "mganprior");
        o.Space.Description += "; --task colorize: z unless given";
        o.Method.Description += "; --task colorize: single unless given";
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var t = Degradations.ParseTask(parse.GetValue(task)!);
            var checkpoint = GanCheckpoint.Open(parse.GetValue(o.Generator)!);
            var g = checkpoint.LoadGenerator(device);
            var (method, options, multi) = o.Read(parse, g);
            if (t == RestorationTask.Colorize)
            {
                // Measured on held-out emoji (bench/README.md): one code in z, averaged over restarts.
                bool spaceGiven = parse.GetResult(o.Space) is { Implicit: false }, methodGiven = parse.GetResult(o.Method) is { Implicit: false };
                if (!spaceGiven) options = options with { Space = GrayscaleDegradation.PreferredSpace };
                if (!methodGiven) method = GrayscaleDegradation.PreferredMethod;
                if (!spaceGiven || !methodGiven)
                    ctx.Output.WriteLine($"colorize: {(method == PriorMethod.Single ? "one code" : "mGANprior")} in {options.Space.Name()} (colorization's defaults; pass --method and --space to choose)");
            }
            Tensor? maskTensor = null;
            if (parse.GetValue(mask) is { } maskPath)
            {
                if (t != RestorationTask.Inpaint) throw new GanSharpException("--mask is only used with --task inpaint");
                if (!File.Exists(maskPath)) throw new GanSharpException($"--mask {maskPath}: file not found");
                maskTensor = MaskReader.Read(maskPath, new MaskOptions(Width: g.Output.Width, Height: g.Output.Height));
            }
            if (parse.GetValue(observed) && t == RestorationTask.Inpaint && maskTensor is null)
                throw new GanSharpException("--observed inpainting needs --mask (which pixels of the inputs are known)");
            int k = parse.GetValue(restarts) ?? Degradations.DefaultRestarts(t);
            if (k is < 1 or > GanRestoration.MaxRestarts) throw new GanSharpException($"--restarts {k}: must be 1..{GanRestoration.MaxRestarts}");
            var degradation = Degradations.Create(t, g.Output, maskTensor, parse.GetValue(scale), parse.GetValue(sigma));
            bool synthesise = !parse.GetValue(observed);
            var readShape = synthesise ? g.Output : degradation.ObservedShape(g.Output);
            var shard = ShardOption.Read(parse, o.Shard);
            var (inputs, names) = InversionCliOptions.ReadImages(parse.GetValue(image)!, readShape, parse.GetValue(o.Resize), "--image", shard);
            var phi = o.ReadPerceptual(parse, g, device, ctx.Output);
            // Fitted before the optimisation, so that a bad --baseline-data fails fast.
            var baseline = Baseline(degradation, parse.GetValue(baselineData)!, checkpoint, g, parse.GetValue(o.Assets), parse.GetValue(o.Seed), ctx.Output);
            using var scope = NewDisposeScope();
            using var rng = new Generator(parse.GetValue(o.Seed));
            var y = synthesise ? degradation.Observe(inputs, rng) : inputs; // [N, C', H', W']
            var result = GanRestoration.Restore(g, y.to(device), degradation, method, options, multi, phi, null,
                InversionCliOptions.Lines(ctx.Output, "restore"), cancel, k);
            var restored = result.Restored.cpu().clamp(-1, 1);
            var outDir = parse.GetValue(o.Output)!;
            InversionCliOptions.WriteEach(restored, names, Path.Combine(outDir, "restored"));
            var classical = baseline?.Restore(y.cpu()); // [N, C, H, W]
            if (classical is not null) InversionCliOptions.WriteEach(classical, names, Path.Combine(outDir, "baseline"));

            var shown = degradation.Display(y, g.Output);
            var columns = new List<Tensor> { shown };
            if (classical is not null) columns.Add(classical);
            columns.Add(restored);
            if (synthesise) columns.Add(inputs);
            var captions = new List<string>();
            for (int i = 0; i < names.Count; i++)
            {
                // With the truth: each column's PSNR to it, the name under the truth; without: the name, then what each column is.
                captions.Add(synthesise ? Db(ImageQuality.Psnr(shown[i..(i + 1)], inputs[i..(i + 1)])) : names[i]);
                if (classical is not null) captions.Add(synthesise ? Db(ImageQuality.Psnr(classical[i..(i + 1)], inputs[i..(i + 1)])) : baseline!.Name);
                captions.Add(synthesise ? Db(ImageQuality.Psnr(restored[i..(i + 1)], inputs[i..(i + 1)])) : "restored");
                if (synthesise) captions.Add(names[i]);
            }
            var comparison = Path.Combine(outDir, $"comparison{shard.Suffix}.png");
            string methodName = method.Name() + (k > 1 ? $" (mean of {k})" : "");
            string header = (synthesise ? "degraded" : "input") + (classical is null ? "" : $" | {baseline!.Name}") + $" | {methodName}" + (synthesise ? " | truth (PSNR)" : "");
            SampleGrid.WritePng(stack(columns.ToArray(), 1).flatten(0, 1), comparison, new GridOptions(Columns: columns.Count, Scale: InversionCliOptions.GridScale(g.Output),
                Captions: captions, Title: $"{degradation.Name}: {header}"));
            if (baseline is not null) ctx.Output.WriteLine($"classical baseline: {baseline.Description}");
            if (synthesise)
                ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{degradation.Name}: mean PSNR to truth {ImageQuality.MeanPsnr(restored, inputs):0.00} dB restored ({methodName})") +
                    (classical is null ? "" : string.Create(CultureInfo.InvariantCulture, $" vs {ImageQuality.MeanPsnr(classical, inputs):0.00} dB classical ({baseline!.Name})")) +
                    string.Create(CultureInfo.InvariantCulture, $" vs {ImageQuality.MeanPsnr(shown, inputs):0.00} dB degraded"));
            ctx.Output.WriteLine($"wrote {Path.Combine(outDir, "restored")}/, " + (classical is null ? "" : $"{Path.Combine(outDir, "baseline")}/, ") + comparison);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>Training images the colorize and denoise baselines are fitted on, at most (spread over the set).</summary>
    const int BaselineTrainingImages = 2048;

    /// <summary>
    /// The classical baseline of <paramref name="degradation"/>, or null (with a note) when <paramref name="data"/> is
    /// <c>none</c>, or <c>auto</c> and the generator's training data cannot be read. Inpainting and super-resolution need
    /// no training images; colorization and denoising are fitted on up to 2048 of them, spread over the set.
    /// </summary>
    static ClassicalBaseline? Baseline(IDegradation degradation, string data, OpenedGanCheckpoint checkpoint, IGenerator g, string? assets, ulong seed, TextWriter log)
    {
        if (data == "none") return null;
        if (!ClassicalBaseline.NeedsTraining(degradation)) return ClassicalBaseline.For(degradation);
        bool auto = data == "auto";
        if (auto)
        {
            var recorded = TrainingDataName(checkpoint);
            if (recorded is null || !DatasetResolver.IsInstalledSpec(recorded))
            {
                log.WriteLine($"note: no classical baseline: the checkpoint's training data ({recorded ?? "not recorded"}) is not a dataset spec; pass --baseline-data SPEC");
                return null;
            }
            data = recorded;
        }
        try
        {
            var set = DatasetResolver.Resolve(data, new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels),
                BundledRoot: BundledAssets.SamplesOrNull(assets), ExactSize: true));
            if (set.Channels != g.Output.Channels || set.Height != g.Output.Height || set.Width != g.Output.Width)
                throw new GanSharpException($"--baseline-data {data}: {set.Channels}x{set.Height}x{set.Width} images, but the generator makes {g.Output}");
            using var scope = NewDisposeScope();
            using var rng = new Generator(seed);
            var baseline = ClassicalBaseline.For(degradation, DataLoader.LoadAll(set.Spread(BaselineTrainingImages)), rng);
            log.WriteLine($"classical baseline fitted on {Math.Min(set.Count, BaselineTrainingImages)} images of {set.Name}");
            return baseline;
        }
        catch (GanSharpException e)
        {
            if (!auto) throw new GanSharpException(e.Message.StartsWith("--baseline-data", StringComparison.Ordinal) ? e.Message : $"--baseline-data {data}: {e.Message}", e.Hint, e);
            log.WriteLine($"note: no classical baseline: the generator's training data {data} cannot be read ({e.Message}); pass --baseline-data SPEC");
            return null;
        }
    }

    /// <summary>The dataset name a GAN checkpoint records under <c>options.data.name</c>, or null.</summary>
    static string? TrainingDataName(OpenedGanCheckpoint checkpoint)
    {
        var options = checkpoint.Reader.Manifest.Options;
        return options.ValueKind == JsonValueKind.Object && options.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
               && d.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
    }

    static string Db(Tensor psnr) => string.Create(CultureInfo.InvariantCulture, $"{psnr.item<float>():0.0} dB");
}
