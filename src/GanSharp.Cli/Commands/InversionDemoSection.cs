using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Methods.Inversion.PadInv;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// Demo section: bundled Fashion-MNIST images inverted into the bundled DCGAN (single code and mGANprior) and each
/// restoration task that applies to a gray generator, side by side with the degraded input and the task's classical
/// baseline (<see cref="ClassicalBaseline"/>); then held-out emoji inverted into the bundled StyleGAN by every method
/// (single, mGANprior, encoder, hybrid, PadInv), and held-out emoji restored in the bundled StyleGAN2 by every task against
/// its baseline; few optimisation steps so that it runs in seconds.
/// </summary>
public sealed class InversionDemoSection : IDemoSection
{
    /// <summary>Images shown per grid.</summary>
    public const int Images = 8;

    /// <summary>Adam steps per run: few, to keep the demo fast; the CLI default is 300 and the mGANprior paper uses 3000.</summary>
    public const int Steps = 20;

    /// <summary>mGANprior codes in the demo (the paper uses 30).</summary>
    public const int Codes = 4;

    /// <inheritdoc />
    public string Title => "GAN inversion and restoration";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        report.Section(Title, $"Optimisation-based inversion of {Images} bundled Fashion-MNIST images into the bundled DCGAN, one code per image and " +
            $"mGANprior ({Codes} codes composed at layer 1), and restoration with the same optimiser and the task's degradation in the loss, shown next to " +
            "the degraded input and a classical baseline (bicubic up-sampling, harmonic inpainting, Gaussian filtering, mean-colour colorization). " +
            $"Only {Steps} Adam steps per run (lr 0.1, pixel MSE + perceptual loss in the bundled feature network's space) so that the section runs in seconds; " +
            "`gansharp invert` / `gansharp restore` default to 300 steps and the paper uses 3000, so these are rough previews.");
        var gPath = Path.Combine(demo.AssetsFolder, "checkpoints", "dcgan-fashion");
        var fPath = Path.Combine(demo.AssetsFolder, "checkpoints", "features-fashion-mnist");
        if (!Directory.Exists(gPath) || !Directory.Exists(fPath))
        {
            report.Paragraph($"The bundled DCGAN or feature network is missing ({gPath}, {fPath}); section skipped.").EndSection();
            return;
        }
        var g = GanCheckpoint.Open(gPath).LoadGenerator(demo.Device);
        var phi = new FeatureNetworkPerceptual(FeatureNetwork.Load(fPath, demo.Device));
        var bundle = DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(demo.AssetsFolder, "samples")));
        using var scope = NewDisposeScope();
        var truth = DataLoader.LoadAll(bundle.Take(Images), demo.Device); // [8, 1, 28, 28]
        // The bundled images not shown: the denoising baseline's blur width is chosen on them, never on the shown ones.
        var others = DataLoader.LoadAll(bundle.Subset(Enumerable.Range(Images, bundle.Count - Images)), demo.Device); // [56, 1, 28, 28]
        var options = new InversionOptions(LatentSpace.W, Steps, BatchSize: Images);
        var multi = new MultiCodeOptions(Codes, Layer: 1);

        var sw = Stopwatch.StartNew();
        var single = GanRestoration.Restore(g, truth, null, PriorMethod.Single, options, null, phi).Restored;
        var composed = GanRestoration.Restore(g, truth, null, PriorMethod.MultiCode, options, multi, phi).Restored;
        Add(report, "inversion", g, new[] { truth, single, composed },
            $"rows: input; single code (z = w for DCGAN), PSNR {Psnr(single, truth)}; mGANprior N = {Codes}, layer 1, PSNR {Psnr(composed, truth)} " +
            $"({Steps} steps each, {sw.Elapsed.TotalSeconds:0.0} s together)");

        var table = CompareRestorations(report, g, phi, truth, others, FashionTasks, options, multi, singleCode: true, stemPrefix: "");
        if (others.shape[0] > 0)
            report.Paragraph($"PSNR dB / SSIM to the truth over the {Images} images above. The denoising baseline's σ was chosen on the {others.shape[0]} other bundled images. " +
                "Where the classical baseline wins, the GAN prior has not earned its cost: at these few steps the GAN rows are previews, and the full-length comparison " +
                "on held-out images is `bench inversion --sections restore` (bench/README.md).")
                .Table(new[] { "task", "degraded input", "classical baseline", "GAN single code", $"GAN mGANprior N = {Codes}", "best PSNR" }, table);
        RenderStyleGan(demo, report, options);
        RenderEmojiRestoration(demo, report, options);
        report.Paragraph("Full-length numbers on held-out images: `dotnet run --project bench/GanSharp.Bench -- inversion` (bench/README.md).");
        report.EndSection();
    }

    /// <summary>
    /// The bundled emoji StyleGAN: Twitter-style emoji (a held-out artist; G saw only Google's) inverted by every method —
    /// single code, mGANprior, encoder, hybrid and PadInv. Skipped with a note when a checkpoint is missing.
    /// </summary>
    static void RenderStyleGan(DemoContext demo, HtmlReport report, InversionOptions options)
    {
        string Ckpt(string name) => Path.Combine(demo.AssetsFolder, "checkpoints", name);
        string[] needed = { Ckpt("stylegan-emoji"), Ckpt("features-emoji"), Ckpt(EncoderAsset) };
        if (needed.FirstOrDefault(p => !Directory.Exists(p)) is { } missing)
        {
            report.Paragraph($"The StyleGAN part is skipped: {missing} is missing.");
            return;
        }
        var g = GanCheckpoint.Open(Ckpt("stylegan-emoji")).LoadGenerator(demo.Device);
        var phi = new FeatureNetworkPerceptual(FeatureNetwork.Load(Ckpt("features-emoji"), demo.Device));
        var data = DatasetResolver.Resolve("bundled:emoji:twitter",
            new DatasetResolveOptions(g.Output.Height, ImageMode.Rgb, BundledRoot: Path.Combine(demo.AssetsFolder, "samples"))).Spread(Images); // across the categories
        using var scope = NewDisposeScope();
        var truth = DataLoader.LoadAll(data, demo.Device); // [8, 3, H, W]
        var encoder = EncoderCheckpoint.Open(Ckpt(EncoderAsset), EncoderMethod.MethodName);
        var e = encoder.Load(demo.Device);
        var sw = Stopwatch.StartNew();
        var single = GanRestoration.Restore(g, truth, null, PriorMethod.Single, options, null, phi).Restored;
        var composed = GanRestoration.Restore(g, truth, null, PriorMethod.MultiCode, options, new MultiCodeOptions(Codes), phi).Restored;
        var encoded = EncoderInversion.Invert(g, encoder.Architecture, e, truth, options, phi).Reconstructions;
        var hybrid = EncoderInversion.Hybrid(g, encoder.Architecture, e, truth, options, phi).Reconstructions;
        // PadInv's encoder is not bundled (its padding head makes it ~17 MB); shown when one was trained into the assets folder.
        var padded = Directory.Exists(Ckpt(PadInvAsset)) ? PadInvInversion.Invert(g, PadInvInversion.Load(Ckpt(PadInvAsset), demo.Device), truth, Images).Reconstructions : null;
        Add(report, "stylegan", g, padded is null ? new[] { truth, single, composed, encoded, hybrid } : new[] { truth, single, composed, encoded, hybrid, padded },
            $"Bundled StyleGAN (emoji, trained on Google's style) inverting Twitter-style emoji it never saw. Rows: input; single code in w, PSNR {Psnr(single, truth)}; " +
            $"mGANprior N = {Codes}, PSNR {Psnr(composed, truth)}; encoder E(x), PSNR {Psnr(encoded, truth)}; hybrid (E(x) + {Steps} steps), PSNR {Psnr(hybrid, truth)}" +
            (padded is null
                ? $" ({sw.Elapsed.TotalSeconds:0.0} s together). PadInv is not bundled (its encoder is ~17 MB): `gansharp train padinv -g assets/checkpoints/stylegan-emoji --data emoji:google` " +
                  $"then `gansharp export -c latest -o assets/checkpoints/{PadInvAsset}` adds its row here."
                : $"; PadInv encoder (code + padding), PSNR {Psnr(padded, truth)} ({sw.Elapsed.TotalSeconds:0.0} s together)"));
    }

    static readonly (RestorationTask Task, string Label)[] FashionTasks =
        { (RestorationTask.Inpaint, "inpainting (centre box)"), (RestorationTask.SuperResolution, "super-resolution ×4"), (RestorationTask.Denoise, "denoising (σ = 0.2)") };

    static readonly (RestorationTask Task, string Label)[] EmojiTasks = FashionTasks.Append((RestorationTask.Colorize, "colorization")).ToArray();

    /// <summary>The emoji generator the restoration comparison uses: the bundled StyleGAN2, trained on the Google training code points, then on both styles'.</summary>
    public const string EmojiRestorationGenerator = "stylegan2-emoji";

    /// <summary>The mGANprior composition layer of the emoji restoration comparison (bench/README.md: layer 2 reconstructs more than layer 1).</summary>
    public const int EmojiRestorationLayer = 2;

    /// <summary>
    /// Held-out Twitter emoji (bundled samples; no generator saw their code points), degraded by every task and restored by
    /// the classical baseline and by mGANprior in the bundled StyleGAN2; the baselines are fitted on the bundled training
    /// samples of both styles.
    /// </summary>
    static void RenderEmojiRestoration(DemoContext demo, HtmlReport report, InversionOptions options)
    {
        string Ckpt(string name) => Path.Combine(demo.AssetsFolder, "checkpoints", name);
        string[] needed = { Ckpt(EmojiRestorationGenerator), Ckpt("features-emoji") };
        if (needed.FirstOrDefault(p => !Directory.Exists(p)) is { } missing)
        {
            report.Paragraph($"The emoji restoration part is skipped: {missing} is missing.");
            return;
        }
        var g = GanCheckpoint.Open(Ckpt(EmojiRestorationGenerator)).LoadGenerator(demo.Device);
        var phi = new FeatureNetworkPerceptual(FeatureNetwork.Load(Ckpt("features-emoji"), demo.Device));
        var resolve = new DatasetResolveOptions(g.Output.Height, ImageMode.Rgb, BundledRoot: Path.Combine(demo.AssetsFolder, "samples"));
        using var scope = NewDisposeScope();
        var truth = DataLoader.LoadAll(DatasetResolver.Resolve("bundled:emoji:twitter:heldout", resolve).Spread(Images), demo.Device);             // [8, 3, H, W]
        var others = DataLoader.LoadAll(DatasetResolver.Resolve("bundled:emoji:google:train+bundled:emoji:twitter:train", resolve), demo.Device); // [M, 3, H, W]
        var table = CompareRestorations(report, g, phi, truth, others, EmojiTasks, options, new MultiCodeOptions(Codes, Layer: EmojiRestorationLayer),
            singleCode: false, stemPrefix: "emoji-");
        report.Paragraph($"Held-out Twitter emoji restored with the bundled `{EmojiRestorationGenerator}` (trained on the training code points of the Google style, " +
                         $"then of both styles; never these): PSNR dB / SSIM to the truth over the {Images} images above, {Steps} steps only. The baselines (colorization's mean colour, " +
                         "denoising's blur width) are fitted on the bundled training samples of both styles. A colour guess that is wrong costs more PSNR " +
                         "than none, so the gray input itself is a hard baseline for colorization: averaging restarts tones down the colours they disagree on.")
            .Table(new[] { "task", "degraded input", "classical baseline",
                $"GAN: mGANprior N = {Codes}, layer {EmojiRestorationLayer} (inpainting: mean of {Degradations.DefaultRestarts(RestorationTask.Inpaint)} restarts; colorization: one code in z, mean of {Degradations.DefaultRestarts(RestorationTask.Colorize)})", "best PSNR" }, table);
    }

    /// <summary>
    /// For every task: degrade <paramref name="truth"/>, restore it with the classical baseline (fitted on
    /// <paramref name="others"/>), a single code (when <paramref name="singleCode"/>) and mGANprior; one grid per task
    /// and one comparison table row per task (returned).
    /// </summary>
    static List<IReadOnlyList<string>> CompareRestorations(HtmlReport report, IGenerator g, IPerceptualFeatures phi, Tensor truth, Tensor others,
        (RestorationTask Task, string Label)[] tasks, InversionOptions options, MultiCodeOptions multi, bool singleCode, string stemPrefix)
    {
        var table = new List<IReadOnlyList<string>>();
        foreach (var (task, label) in tasks)
        {
            var op = Degradations.Create(task, g.Output, scale: 4);
            var observed = op.Observe(truth, new Generator(0));
            var shown = op.Display(observed, g.Output);
            var baseline = ClassicalBaseline.For(op, others, new Generator(1));
            var classical = baseline.Restore(observed);
            // As `gansharp restore` does it: the task's default restarts; colorization with one code in z, the other tasks with mGANprior.
            int restarts = Degradations.DefaultRestarts(task);
            string averaged = restarts > 1 ? $", mean of {restarts} restarts" : "";
            var oneCode = singleCode ? GanRestoration.Restore(g, observed, op, PriorMethod.Single, options, null, phi, restarts: restarts).Restored : null;
            bool colorize = op is GrayscaleDegradation;
            var prior = colorize
                ? GanRestoration.Restore(g, observed, op, GrayscaleDegradation.PreferredMethod, options with { Space = GrayscaleDegradation.PreferredSpace }, null, phi,
                    restarts: restarts).Restored
                : GanRestoration.Restore(g, observed, op, PriorMethod.MultiCode, options, multi, phi, restarts: restarts).Restored;
            string priorName = (colorize ? "GAN single code in z" : $"GAN mGANprior N = {Codes}, layer {multi.Layer}") + averaged;
            var rows = oneCode is null ? new[] { shown, classical, prior, truth } : new[] { shown, classical, oneCode, prior, truth };
            Add(report, stemPrefix + op.Name, g, rows,
                $"{label}, {Steps} steps only (a rough preview of the GAN). Rows: degraded input (PSNR {Psnr(shown, truth)}); classical baseline, {baseline.Name} " +
                $"(PSNR {Psnr(classical, truth)}); " + (oneCode is null ? "" : $"GAN single code{averaged} (PSNR {Psnr(oneCode, truth)}); ") +
                $"{priorName} (PSNR {Psnr(prior, truth)}); truth");
            var candidates = new List<(Tensor, string)> { (shown, "degraded"), (classical, $"classical ({baseline.Name})") };
            if (oneCode is not null) candidates.Add((oneCode, "single code"));
            candidates.Add((prior, colorize ? "GAN (z, restarts)" : "mGANprior"));
            table.Add(ComparisonRow(label, truth, candidates.ToArray()));
        }
        return table;
    }

    /// <summary>The bundled encoder of the emoji StyleGAN (<c>gansharp train encoder</c>, slim export).</summary>
    public const string EncoderAsset = "encoder-stylegan-emoji";

    /// <summary>Where a PadInv encoder of the emoji StyleGAN is looked for (<c>gansharp train padinv</c>, slim export); not bundled.</summary>
    public const string PadInvAsset = "padinv-stylegan-emoji";

    /// <summary>A table row: the task, PSNR dB / SSIM of each candidate, and the name of the one of highest PSNR.</summary>
    static IReadOnlyList<string> ComparisonRow(string task, Tensor truth, params (Tensor Images, string Name)[] candidates)
    {
        var psnr = candidates.Select(c => ImageQuality.MeanPsnr(c.Images.clamp(-1, 1), truth)).ToArray();
        var cells = new List<string> { task };
        cells.AddRange(candidates.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{psnr[i]:0.0} / {ImageQuality.MeanSsim(c.Images.clamp(-1, 1), truth):0.00}")));
        cells.Add(candidates[Array.IndexOf(psnr, psnr.Max())].Name);
        return cells;
    }

    static string Psnr(Tensor x, Tensor truth) => string.Create(CultureInfo.InvariantCulture, $"{ImageQuality.MeanPsnr(x.clamp(-1, 1), truth):0.0} dB");

    static void Add(HtmlReport report, string stem, IGenerator g, Tensor[] rows, string caption)
    {
        var images = cat(rows.Select(r => r.detach().clamp(-1, 1).cpu()).ToArray()); // [rows·8, C, H, W], one row per tensor
        var (full, rel) = report.NewImagePath("inversion-" + stem);
        SampleGrid.WritePng(images, full, new GridOptions(Columns: Images, Scale: InversionCliOptions.GridScale(g.Output)));
        report.Image(rel, caption);
    }
}
