using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Translation;
using GanSharp.Methods.Translation.UGatIt;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// Demo section: unpaired translation Google → Twitter emoji style with the bundled CycleGAN and U-GAT-IT (light), on
/// the bundled emoji whose code points are held out of training, next to the true Twitter emoji (the pairing that
/// training never used) and U-GAT-IT's attention maps.
/// </summary>
public sealed class TranslationDemoSection : IDemoSection
{
    /// <summary>The bundled translators, under assets/checkpoints.</summary>
    public static readonly string[] Models = { "cyclegan-emoji", "ugatit-emoji" };

    /// <inheritdoc />
    public string Title => "Unpaired translation (CycleGAN, U-GAT-IT)";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        report.Section(Title, "Google-style emoji translated to the Twitter style by translators trained on unpaired images of both styles " +
            "(training code points only). The same code point drawn by Twitter is the true answer, which training never saw. " +
            "Reproduce: `gansharp translate -c assets/checkpoints/cyclegan-emoji --images DIR --direction a2b -o OUT`; " +
            "measured on all 192 held-out code points by `GanSharp.Bench translation` (bench/README.md).");
        var present = Models.Select(m => Path.Combine(demo.AssetsFolder, "checkpoints", m)).Where(Directory.Exists).ToArray();
        if (present.Length == 0)
        {
            report.Paragraph("No translator is bundled in this checkout; see assets/ASSETS.md for the commands that make them.").EndSection();
            return;
        }
        using var scope = NewDisposeScope();
        var loaded = present.Select(p => Translators.Load(p, demo.Device)).ToList();
        try
        {
            // The translators may draw different sizes: each reads the held-out pairs at its own size (where its error is
            // measured); the sheet is drawn at the largest, smaller outputs scaled up (bilinear).
            int size = loaded.Max(t => (int)t.Image.Height);
            var pairsBySize = new Dictionary<int, (Tensor A, Tensor Truth)>();
            (Tensor A, Tensor Truth) Pairs(int side)
            {
                if (pairsBySize.TryGetValue(side, out var known)) return known;
                var resolve = new DatasetResolveOptions(side, ImageMode.Rgb, BundledRoot: Path.Combine(demo.AssetsFolder, "samples"));
                var pairs = new PairedDataset(DatasetResolver.Resolve("bundled:emoji:google:heldout", resolve),
                                              DatasetResolver.Resolve("bundled:emoji:twitter:heldout", resolve)); // the same code points, in Google's order
                return pairsBySize[side] = (DataLoader.LoadAll(pairs.A), DataLoader.LoadAll(pairs.B));          // [N, C, side, side] each
            }
            var (a, truth) = Pairs(size);
            long n = a.shape[0];
            var rows = new List<Tensor> { a };
            var captions = new List<string>();
            captions.AddRange(Enumerable.Repeat("Google", (int)n));
            var table = new List<IReadOnlyList<string>>();
            static double Mae(Tensor x, Tensor target) => (x - target).abs().mean().item<float>() / 2;
            var timing = new List<string>();
            foreach (var t in loaded)
            {
                int side = (int)t.Image.Height;
                var (input, target) = Pairs(side);
                var clock = Stopwatch.StartNew();
                Tensor y, heat = empty(0);
                if (t.Translator is IAttentionTranslator attention) (y, heat) = attention.TranslateWithAttention(input.to(demo.Device), TranslationDirection.AToB);
                else y = t.Translator.Translate(input.to(demo.Device), TranslationDirection.AToB);
                timing.Add(string.Create(CultureInfo.InvariantCulture, $"{t.Method} {clock.Elapsed.TotalMilliseconds / n:0.0} ms per image"));
                y = y.cpu().clamp(-1, 1);
                rows.Add(side == size ? y : nn.functional.interpolate(y, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false).clamp(-1, 1));
                captions.AddRange(Enumerable.Repeat($"{t.Method} →", (int)n));
                table.Add(new[] { t.Method, t.Step.ToString(CultureInfo.InvariantCulture), (side + " px"),
                    Mae(input, target).ToString("0.000", CultureInfo.InvariantCulture) + " → " + Mae(y, target).ToString("0.000", CultureInfo.InvariantCulture) });
                if (heat.numel() > 0)
                {
                    rows.Add(UGatItMethod.HeatMapImages(heat.cpu(), size).expand(-1, 3, -1, -1));
                    captions.AddRange(Enumerable.Repeat("attention", (int)n));
                }
            }
            rows.Add(truth);
            captions.AddRange(Enumerable.Repeat("true Twitter", (int)n));
            var (full, rel) = report.NewImagePath("translation");
            SampleGrid.WritePng(cat(rows), full, new GridOptions(Columns: (int)n, Scale: Math.Max(2, 64 / size), Captions: captions));
            report.Image(rel, $"The {n} bundled emoji whose code points are held out of training: Google input, each translator's Twitter-style output " +
                "(U-GAT-IT's row is followed by its generator's attention map: white = most attended), and the true Twitter emoji" +
                (loaded.Any(t => t.Image.Height != size) ? $", drawn at {size} px (a smaller translator's output scaled up). " : ". ") + string.Join("; ", timing) + ".");
            report.Table(new[] { "translator", "steps", "size", $"mean abs. error to the true Twitter emoji (input → translation), these {n}" }, table);
        }
        finally
        {
            foreach (var t in loaded) t.Dispose();
        }
        report.EndSection();
    }
}
