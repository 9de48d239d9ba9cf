using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Anomaly;
using GanSharp.Reports;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// Demo section: a GANomaly detector trained in seconds on one Fashion-MNIST class (the whole class of the installed
/// train split, else the bundled samples of that class), then the bundled samples scored: normal and anomalous images
/// with their scores and heat maps in one grid, the metric table and the ROC curve.
/// </summary>
/// <param name="fashionMnistFolder">Where to look for the full Fashion-MNIST (null: the usual place); tests point it
/// at an empty folder to get the bundled fallback.</param>
public sealed class AnomalyDemoSection(string? fashionMnistFolder = null) : IDemoSection
{
    /// <summary>The class taken as normal (Trouser).</summary>
    public const int NormalClass = 1;

    /// <summary>Settings when the full Fashion-MNIST is installed: 200 steps of batch 16 on a width-4 GANomaly.</summary>
    public static AnomalyTrainSettings FullSettings { get; } = new("ganomaly", Steps: 200, BatchSize: 16, Seed: 1, Width: 4, Latent: 16);

    /// <summary>Settings for the bundled fallback (6 images of the class: 5 trained on, 1 held out for the threshold).</summary>
    public static AnomalyTrainSettings BundledSettings { get; } = new("ganomaly", Steps: 30, BatchSize: 4, Seed: 1, Width: 4, Latent: 8);

    /// <inheritdoc />
    public string Title => "Anomaly detection";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        var test = DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(demo.AssetsFolder, "samples")));
        bool full = FashionMnist.IsAvailable(fashionMnistFolder);
        var (normal, spec, settings) = full
            ? (FashionMnist.Load(new FashionMnistOptions(fashionMnistFolder, DatasetSplit.Train, NormalClass)), "fashion-mnist", FullSettings)
            : (test.ClassFilter(NormalClass), "bundled:fashion-mnist", BundledSettings);
        string className = test.ClassNames[NormalClass];
        var runs = Directory.CreateTempSubdirectory("gansharp-demo-anomaly-").FullName;
        // The networks are tiny (width 4, 28x28): one thread is as fast as several on an idle machine and, on a busy one,
        // avoids the oversubscription that made this section 10-30x slower with two threads on the project's 2-core machines.
        int threads = get_num_threads();
        if (threads > 1) set_num_threads(1);
        try
        {
            var sw = Stopwatch.StartNew();
            var trained = AnomalyPipeline.Train(normal, settings, runs, demo.Device, spec, NormalClass, "demo", tensorBoard: false);
            double trainSeconds = sw.Elapsed.TotalSeconds;
            double threshold = trained.Info.Threshold ?? double.NaN;

            report.Section(Title, $"{settings.Method} (encoder–decoder–encoder GAN) trained on {normal.Count - trained.Info.ValidationCount} '{className}' images of " +
                $"{(full ? normal.Name : $"the bundled samples ({normal.Name})")} only, {settings.Steps} steps of batch {settings.BatchSize} in {trainSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s; " +
                $"the decision threshold {Score(threshold)} is the {settings.ThresholdPercentile.ToString("0.#", CultureInfo.InvariantCulture)}th percentile of the scores of " +
                $"{trained.Info.ValidationCount} held-out '{className}' images. Then the {test.Count} bundled Fashion-MNIST test images are scored: " +
                $"'{className}' is normal, every other class is an anomaly. " +
                (full ? "None of them was seen in training."
                      : "The full Fashion-MNIST is not installed, so the model learnt from the bundled samples themselves: the normal images below include its training images and the AUROC is optimistic."));
            report.Code($"gansharp anomaly train --method {settings.Method} --data {spec} --normal-class {NormalClass} --steps {settings.Steps} --batch {settings.BatchSize} " +
                $"--width {settings.Width} --latent {settings.Latent} --seed {settings.Seed}\n" +
                $"gansharp anomaly eval --model <run folder> --data bundled:fashion-mnist -o report\n" +
                $"gansharp anomaly score --model <run folder> --images <folder of PNGs> -o scores");

            using var scope = NewDisposeScope();
            var x = Images(test, Enumerable.Range(0, test.Count)).to(demo.Device); // [64, 1, 28, 28]
            double[] scores;
            Tensor maps;
            using (var r = trained.Scorer.Score(x, withMaps: true))
            {
                scores = r.Scores.to(float64).cpu().data<double>().ToArray();
                maps = r.Maps!.cpu().detach().clone(); // [64, 1, 28, 28]
            }
            AddGrid(report, test, x.cpu(), maps, scores, threshold, className);
            var labels = Enumerable.Range(0, test.Count).Select(i => test.LabelOf(i) != NormalClass).ToArray();
            var result = AnomalyEvaluation.Evaluate(scores, labels, trained.Info.Threshold, trained.Info.ThresholdPercentile);
            report.Paragraph($"All {test.Count} bundled images ({result.Normal} normal, {result.Anomalous} anomalous): AUROC {result.Auroc.ToString("0.000", CultureInfo.InvariantCulture)}.");
            AnomalyEvaluation.AddTableAndRoc(report, settings.Method, NormalClass, result);
            report.EndSection();
        }
        finally
        {
            if (threads > 1) set_num_threads(threads);
            try { Directory.Delete(runs, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// One grid of four rows: the normal images, their heat maps, one anomalous image of every other class, its heat map.
    /// Every map uses the same colour scale; scores above the threshold are starred.
    /// </summary>
    static void AddGrid(HtmlReport report, IImageDataset test, Tensor x, Tensor maps, double[] scores, double threshold, string className)
    {
        var normal = Enumerable.Range(0, test.Count).Where(i => test.LabelOf(i) == NormalClass).ToList();
        var anomalous = Enumerable.Range(0, test.ClassNames.Count).Where(c => c != NormalClass)
            .Select(c => Enumerable.Range(0, test.Count).First(i => test.LabelOf(i) == c)).ToList();
        int columns = Math.Max(normal.Count, anomalous.Count);
        var shown = normal.Concat(anomalous).Select(i => (long)i).ToArray();
        using var index = tensor(shown);
        double max = maps.index_select(0, index).max().item<float>();
        var overlays = HeatMap.Overlay(x, maps, max: max);  // [64, 3, 28, 28]
        var rgb = ColorOps.GrayToRgb(x);                     // [64, 3, 28, 28]
        var blank = full(3, test.Height, test.Width, -1f);   // [3, 28, 28]
        var cells = new List<Tensor>();
        var captions = new List<string>();
        foreach (var row in new[] { normal, anomalous })
        {
            for (int k = 0; k < columns; k++)
            {
                cells.Add(k < row.Count ? rgb[row[k]] : blank);
                captions.Add(k < row.Count ? test.ClassNames[test.LabelOf(row[k])] : "");
            }
            for (int k = 0; k < columns; k++)
            {
                cells.Add(k < row.Count ? overlays[row[k]] : blank);
                captions.Add(k < row.Count ? Score(scores[row[k]]) + (scores[row[k]] > threshold ? " *" : "") : "");
            }
        }
        var (fullPath, rel) = report.NewImagePath("anomaly-heatmaps");
        SampleGrid.WritePng(stack(cells), fullPath, new GridOptions(Columns: columns, Scale: 3, Captions: captions, Padding: 4)); // [4·columns, 3, 28, 28]
        report.Image(rel, $"Rows 1–2: the {normal.Count} bundled '{className}' images (normal) and their heat maps; rows 3–4: one bundled image of every other class " +
            "(anomalous) and its heat map. Under each heat map: the anomaly score (||G_E(x) − E(G(x))||²), starred when above the threshold. " +
            "Heat map: |x − G(x)|, one colour scale for all (blue low, red high).");
    }

    /// <summary>Images <paramref name="indices"/> of <paramref name="data"/> as <c>[N, C, H, W]</c> in [-1, 1].</summary>
    static Tensor Images(IImageDataset data, IEnumerable<int> indices)
    {
        var list = indices.ToList();
        int size = data.Channels * data.Height * data.Width;
        var pixels = new float[list.Count * size];
        for (int k = 0; k < list.Count; k++) data.CopyPixels(list[k], pixels.AsSpan(k * size, size));
        return tensor(pixels, new long[] { list.Count, data.Channels, data.Height, data.Width });
    }

    static string Score(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
