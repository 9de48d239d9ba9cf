using GanSharp.Imaging;
using GanSharp.Methods.Synthesis;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>Demo section: samples, an interpolation strip, a truncation sweep and (StyleGAN) a style-mixing sheet from the bundled GAN checkpoints.</summary>
public sealed class GanDemoSection : IDemoSection
{
    /// <summary>Bundled GAN checkpoints (folder under assets/checkpoints) and the command that reproduces each.</summary>
    public static readonly (string Folder, string Title, string Command)[] Bundled =
    {
        ("dcgan-fashion", "DCGAN on Fashion-MNIST (28x28 gray)",
            "./gansharp train gan --preset dcgan-fashion && ./gansharp export -c latest -o assets/checkpoints/dcgan-fashion"),
        ("stylegan2-emoji", "StyleGAN2 + DiffAugment on the training split of the Google emoji, then of both styles (32x32 RGB)",
            "./gansharp train gan --preset stylegan2-emoji --steps 8366 && ./gansharp train gan --resume latest --data emoji:google:train+emoji:twitter:train --override " +
            "&& ./gansharp export -c latest -o assets/checkpoints/stylegan2-emoji"),
        ("stylegan-emoji", "StyleGAN (the first design, for comparison) on all Google emoji (32x32 RGB)",
            "./gansharp train gan --preset stylegan-emoji && ./gansharp export -c latest -o assets/checkpoints/stylegan-emoji"),
    };

    /// <inheritdoc />
    public string Title => "GAN synthesis";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        report.Section(Title, "Samples of the bundled checkpoints, trained by GanSharp's own commands on this project's CPU machines. " +
            "Every image comes from a fixed seed: `gansharp sample -c <checkpoint> --seed 0 -o grid.png` gives the same grid.");
        foreach (var (folder, title, command) in Bundled)
        {
            var path = Path.Combine(demo.AssetsFolder, "checkpoints", folder);
            if (!Directory.Exists(path))
            {
                report.Paragraph($"{title}: not bundled in this checkout ({path}). Reproduce with: {command}");
                continue;
            }
            var opened = GanCheckpoint.Open(path);
            var g = opened.LoadGenerator(demo.Device);
            report.Paragraph($"{title}, step {opened.Reader.Manifest.Step}. Reproduce: {command}");
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            Add(report, folder + "-samples", $"{title}: 64 samples, seed 0", g, rng => g.Sample(64, rng, demo.Device), columns: 8);
            Add(report, folder + "-interpolation", "spherical interpolation in z between random pairs (rows)", g,
                rng => SampleSheets.Interpolate(g, 4, 10, rng, demo.Device), columns: 10);
            Add(report, folder + "-truncation", "truncation sweep, psi from 1 (left) to 0 (right)", g,
                rng => SampleSheets.TruncationSweep(g, 4, 8, rng, demo.Device), columns: 8);
            if (g.StyleCount > 1)
                Add(report, folder + "-mixing", $"style mixing: the first {g.StyleCount / 2} of {g.StyleCount} styles (4-8 px: pose, shape) " +
                    "from the left image, the rest (colour, detail) from the top image", g,
                    rng => SampleSheets.StyleMixing(g, 5, 6, g.StyleCount / 2, rng, demo.Device), columns: 7);
        }
        report.EndSection();
    }

    static void Add(HtmlReport report, string stem, string caption, IGenerator g, Func<Generator, Tensor> make, int columns)
    {
        using var rng = new Generator(0);
        manual_seed(0); // per-layer noise inputs (StyleGAN) come from the global stream
        var images = make(rng).cpu(); // [N, C, H, W]
        var (full, rel) = report.NewImagePath(stem);
        SampleGrid.WritePng(images, full, new GridOptions(Columns: columns, Scale: Math.Max(1, 56 / g.Output.Height)));
        report.Image(rel, caption);
    }
}
