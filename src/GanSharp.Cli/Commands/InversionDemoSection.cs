using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// Demo section: bundled Fashion-MNIST images inverted into the bundled DCGAN (single code and mGANprior) and each
/// restoration task that applies to a gray generator, with few optimisation steps so that it runs in seconds.
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
            $"mGANprior ({Codes} codes composed at layer 1), and restoration with the same optimiser and the task's degradation in the loss. " +
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
        var data = DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(demo.AssetsFolder, "samples"))).Take(Images);
        using var scope = NewDisposeScope();
        Tensor truth;
        using (var loader = new DataLoader(data, new DataLoaderOptions(BatchSize: Images, Shuffle: false, Prefetch: 0), demo.Device))
        using (var batch = loader.Next())
            truth = batch.Images.detach().clone(); // [8, 1, 28, 28]
        var options = new InversionOptions(LatentSpace.W, Steps, BatchSize: Images);
        var multi = new MultiCodeOptions(Codes, Layer: 1);

        var sw = Stopwatch.StartNew();
        var single = GanRestoration.Restore(g, truth, null, PriorMethod.Single, options, null, phi).Restored;
        var composed = GanRestoration.Restore(g, truth, null, PriorMethod.MultiCode, options, multi, phi).Restored;
        Add(report, "inversion", g, new[] { truth, single, composed },
            $"rows: input; single code (z = w for DCGAN), PSNR {Psnr(single, truth)}; mGANprior N = {Codes}, layer 1, PSNR {Psnr(composed, truth)} " +
            $"({Steps} steps each, {sw.Elapsed.TotalSeconds:0.0} s together)");

        foreach (var (task, label) in new[] { (RestorationTask.Inpaint, "inpainting (centre box)"), (RestorationTask.SuperResolution, "super-resolution ×4"), (RestorationTask.Denoise, "denoising (σ = 0.2)") })
        {
            var op = Degradations.Create(task, g.Output, scale: 4);
            var observed = op.Observe(truth, new Generator(0, demo.Device));
            var restored = GanRestoration.Restore(g, observed, op, PriorMethod.Single, options, null, phi).Restored;
            var shown = op.Display(observed, g.Output);
            Add(report, op.Name, g, new[] { shown, restored, truth },
                $"{label} with a single code ({Steps} steps only: a rough preview). Rows: degraded input (PSNR {Psnr(shown, truth)}), restored (PSNR {Psnr(restored, truth)}), truth");
        }
        report.Paragraph("Colorization is not shown: it needs an RGB generator (`gansharp restore --task colorize` refuses gray ones). " +
            "Full-length numbers on held-out test images: `dotnet run --project bench/GanSharp.Bench -- inversion` (bench/README.md).");
        report.EndSection();
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
