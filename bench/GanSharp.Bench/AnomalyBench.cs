using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Anomaly;
using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// The Fashion-MNIST anomaly protocols for every method: one-class-normal (train on class c only, score the test set,
/// the other classes are anomalies) and, labelled separately, GANomaly's one-class-anomalous (train on the nine other
/// classes, class c is the anomaly). Prints per-class and mean AUROC, scoring throughput and the AnoGAN-search vs
/// encoder speed ratio.
/// </summary>
public static class AnomalyBench
{
    /// <summary>
    /// Options: <c>--methods anogan,egbad,ganomaly,fanogan</c>, <c>--classes 0,1,…</c> (default all), <c>--steps N</c> (2000),
    /// <c>--seeds 1,2</c> (1), <c>--batch N</c> (64), <c>--width N</c> (32), <c>--latent N</c> (64), <c>--search-steps N</c> (500),
    /// <c>--limit N</c> (test images per run, stratified; default all 10,000), <c>--protocols normal,anomalous</c> (both), <c>--threads N</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int[] Ints(string name, string fallback) => Arg(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var methods = Arg("--methods", string.Join(",", AnomalyDetectors.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var classes = Ints("--classes", "0,1,2,3,4,5,6,7,8,9");
        var seeds = Ints("--seeds", "1");
        var protocols = Arg("--protocols", "normal,anomalous").Split(',');
        long steps = long.Parse(Arg("--steps", "2000"), CultureInfo.InvariantCulture);
        int batch = int.Parse(Arg("--batch", "64"), CultureInfo.InvariantCulture);
        int width = int.Parse(Arg("--width", "32"), CultureInfo.InvariantCulture), latent = int.Parse(Arg("--latent", "64"), CultureInfo.InvariantCulture);
        int search = int.Parse(Arg("--search-steps", "500"), CultureInfo.InvariantCulture);
        int limit = int.Parse(Arg("--limit", "10000"), CultureInfo.InvariantCulture);
        var report = TorchRuntime.EnsureInitialized();
        if (Arg("--threads", "") is { Length: > 0 } t) TorchRuntime.SetThreads(int.Parse(t, CultureInfo.InvariantCulture));
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; steps {steps}, batch {batch}, width {width}, latent {latent}, AnoGAN search {search}, test images {limit}, seeds {string.Join(",", seeds)}");
        var opts = new DatasetResolveOptions(28, ImageMode.Gray);
        var train = DatasetResolver.Resolve("fashion-mnist:train", opts);
        var testAll = DatasetResolver.Resolve("fashion-mnist:test", opts);
        IImageDataset test = limit < testAll.Count ? testAll.SplitCounts(new[] { limit }, 0, stratified: true)[0] : testAll;
        var root = Path.Combine(Path.GetTempPath(), "gansharp-anomaly-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var speed = new Dictionary<string, List<double>>();
        try
        {
            foreach (var protocol in protocols)
            {
                bool oneNormal = protocol.Trim() == "normal";
                var auroc = new Dictionary<(string, int), List<double>>();
                foreach (var c in classes)
                    foreach (var m in methods)
                        foreach (var seed in seeds)
                        {
                            var others = Enumerable.Range(0, 10).Where(k => k != c).ToArray();
                            var normal = oneNormal ? train.ClassFilter(c) : train.ClassFilter(others);
                            var settings = new AnomalyTrainSettings(m, steps, batch, (ulong)seed, width, latent, SearchSteps: search);
                            var result = AnomalyPipeline.Train(normal, settings, root, CPU, "fashion-mnist", oneNormal ? c : null, tensorBoard: false);
                            var sw = Stopwatch.StartNew();
                            var scores = AnomalyScoring.ScoreAll(result.Scorer, test, 128);
                            (speed.TryGetValue(m, out var l) ? l : speed[m] = new()).Add(test.Count / sw.Elapsed.TotalSeconds);
                            var labels = Enumerable.Range(0, test.Count).Select(i => oneNormal ? test.LabelOf(i) != c : test.LabelOf(i) == c).ToArray();
                            double a = AnomalyMetrics.Auroc(scores, labels);
                            (auroc.TryGetValue((m, c), out var al) ? al : auroc[(m, c)] = new()).Add(a);
                            Console.Error.WriteLine($"{protocol} class {c} {m} seed {seed}: AUROC {a:0.000}");
                        }
                Console.WriteLine();
                Console.WriteLine(oneNormal ? "### One class normal (train on class c, the other nine are anomalies): AUROC" : "### One class anomalous (train on the other nine, class c is the anomaly; GANomaly protocol): AUROC");
                Console.WriteLine();
                Console.WriteLine("| method | " + string.Join(" | ", classes.Select(c => $"c{c}")) + " | mean |");
                Console.WriteLine("|---|" + string.Concat(classes.Select(_ => "---|")) + "---|");
                foreach (var m in methods)
                {
                    var per = classes.Select(c => auroc[(m, c)].Average()).ToArray();
                    Console.WriteLine($"| {m} | " + string.Join(" | ", per.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture))) + $" | {per.Average().ToString("0.000", CultureInfo.InvariantCulture)} |");
                }
            }
            Console.WriteLine();
            Console.WriteLine("### Scoring throughput (CPU, batch 128)");
            Console.WriteLine();
            Console.WriteLine("| method | images/s |");
            Console.WriteLine("|---|---|");
            foreach (var m in methods) Console.WriteLine($"| {m} | {speed[m].Average().ToString("0.0", CultureInfo.InvariantCulture)} |");
            if (speed.ContainsKey("anogan"))
                foreach (var m in methods.Where(m => m != "anogan"))
                    Console.WriteLine($"\n{m} scores {(speed[m].Average() / speed["anogan"].Average()).ToString("0", CultureInfo.InvariantCulture)}x faster than AnoGAN's {search}-step search.");
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        return 0;
    }
}
