using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// GAN Dissection and GAN Paint on held-out images: per layer, how many units match a concept; per concept and action,
/// the change of the concept's fraction inside the mask (top-k units against k random units as a control), PSNR and SSIM
/// outside the mask between the photo and the edit; and the latency of the fit, a preview and a full edit.
/// </summary>
public static class EditingBench
{
    /// <summary>
    /// Options: <c>--generator CKPT</c> (assets/checkpoints/stylegan2-emoji), <c>--dissection DIR</c> (assets/dissections/NAME),
    /// <c>--layers 1,2</c> (dissected here for the units-per-layer table, <c>--samples</c> 500 each; empty: skip),
    /// <c>--data SPEC</c> (emoji:twitter:heldout), <c>--images N</c> (8, spread over the set), <c>--concepts a,b</c> (default:
    /// the 4 concepts other than background whose best unit has the highest IoU), <c>--units K</c> (8), <c>--full N</c>
    /// (full-quality edits on the first N images, 2), <c>--features PATH|none</c> (assets/checkpoints/features-emoji),
    /// <c>--threads T</c>, <c>--assets PATH</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int Int(string name, int fallback) => opt.Int(name, fallback);
        string[] List(string name, string fallback) => opt.List(name, fallback);
        string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

        var report = TorchRuntime.EnsureInitialized();
        int threads = Int("--threads", 0);
        if (threads > 0) TorchRuntime.SetThreads(threads);
        string assets = Arg("--assets", "assets");
        string generatorPath = Arg("--generator", Path.Combine(assets, "checkpoints", "stylegan2-emoji"));
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(generatorPath)));
        var g = GanCheckpoint.Open(generatorPath).LoadGenerator(CPU);
        var dissection = DissectionResult.Load(Arg("--dissection", Path.Combine(assets, "dissections", name)));
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; generator {generatorPath}; dissection of layer {dissection.Layer} ({dissection.Units.Count} units, {dissection.Samples} samples)");
        Console.WriteLine();

        var layers = List("--layers", "1,2").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (layers.Length > 0)
        {
            Console.WriteLine("| layer | units | units with IoU > 0.04 | s | top IoU per concept |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (int layer in layers)
            {
                var clock = Stopwatch.StartNew();
                var r = Dissection.Run(g, new EmojiColorSegmenter(), new DissectionOptions(layer, Int("--samples", 500), CausalSamples: 0)); // IoU only: this table counts matched units
                Console.WriteLine($"| {layer} | {r.Units.Count} | {r.Units.Count(u => u.Iou > DissectionReport.MatchedIou)} | {clock.Elapsed.TotalSeconds:0} | " +
                                  string.Join(", ", r.ConceptScores.Where(c => c.Coverage > 0).Select(c => $"{c.Concept} {F3(c.Units[0].Iou)}")) + " |");
            }
            Console.WriteLine();
        }

        var all = DatasetResolver.Resolve(Arg("--data", "emoji:twitter:heldout"), new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels)));
        var data = all.Spread(Int("--images", 8));
        var photos = DataLoader.LoadAll(data); // [N, C, H, W]
        string featuresPath = Arg("--features", Path.Combine(assets, "checkpoints", "features-emoji"));
        IPerceptualFeatures? phi = featuresPath == "none" ? null : new FeatureNetworkPerceptual(FeatureNetwork.Load(featuresPath, CPU));
        var concepts = Arg("--concepts", "") is { Length: > 0 } c ? c.Split(',')
            : dissection.ConceptScores.Where(x => x.Concept != "background").OrderByDescending(x => x.Units[0].Iou).Take(4).Select(x => x.Concept).ToArray();
        int k = Int("--units", 8), fullImages = Int("--full", 2);
        var options = new PaintOptions(Units: k);
        int h = g.Output.Height, w = g.Output.Width;
        var mask = zeros(1, 1, h, w);
        mask[.., .., (h / 4)..(3 * h / 4), (w / 4)..(3 * w / 4)] = 1; // the centre square: half the side
        using var control = new Generator(7);

        var rows = new Dictionary<(string, PaintAction), List<(double Top, double Random, double Psnr, double Ssim, double RawPsnr)>>();
        var fit = new List<double>(); var preview = new List<double>(); var full = new List<double>();
        var reconPsnr = new List<double>();
        for (int i = 0; i < photos.shape[0]; i++)
        {
            var clock = Stopwatch.StartNew();
            using var session = EditSession.Fit(g, dissection, photos[i..(i + 1)], options, phi);
            fit.Add(clock.Elapsed.TotalSeconds);
            using (var recon = session.Reconstruction()) reconPsnr.Add(ImageQuality.MeanPsnr(recon.clamp(-1, 1), session.Image));
            var before = ConceptFractions(session.Image, mask);
            foreach (var concept in concepts)
            {
                int index = dissection.Concepts.ToList().IndexOf(concept);
                foreach (var action in new[] { PaintAction.Insert, PaintAction.Remove })
                {
                    clock.Restart();
                    using var top = session.Preview(mask, concept, action);
                    preview.Add(clock.Elapsed.TotalSeconds);
                    var randomUnits = randperm(dissection.Units.Count, generator: control).data<long>().Take(k).Select(u => (int)u).ToArray();
                    using var random = session.Preview(mask, randomUnits, action);
                    double dTop = ConceptFractions(top.Edited, mask)[index] - before[index];
                    double dRandom = ConceptFractions(random.Edited, mask)[index] - before[index];
                    var (psnr, _) = Outside(top.Edited, session.Image, mask);
                    var (rawPsnr, ssim) = Outside(top.Rendered, session.Image, mask);
                    if (!rows.TryGetValue((concept, action), out var list)) rows[(concept, action)] = list = new();
                    list.Add((dTop, dRandom, psnr, ssim, rawPsnr));
                    if (i < fullImages && concept == concepts[0])
                    {
                        clock.Restart();
                        session.Render(mask, concept, action).Dispose();
                        full.Add(clock.Elapsed.TotalSeconds);
                    }
                }
            }
        }
        Console.WriteLine($"{photos.shape[0]} images of {data.Name}; mask: the centre square ({h / 2}×{w / 2} px); k = {k} units; control: {k} random units; " +
                          $"reconstruction (G′ after the fit) PSNR {F2(reconPsnr.Average())} dB");
        Console.WriteLine();
        Console.WriteLine("| concept | action | Δ concept fraction in mask, top-k | Δ, random k | PSNR outside mask dB (edited.png) | PSNR outside mask dB, G′ before paste-back | SSIM outside mask, G′ |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        string Db(IEnumerable<double> v) => v.All(double.IsPositiveInfinity) ? "∞" : F2(v.Where(double.IsFinite).DefaultIfEmpty(0).Average());
        foreach (var ((concept, action), list) in rows)
            Console.WriteLine($"| {concept} | {action.ToString().ToLowerInvariant()} | {F3(list.Average(x => x.Top))} | {F3(list.Average(x => x.Random))} | " +
                              $"{Db(list.Select(x => x.Psnr))} | {Db(list.Select(x => x.RawPsnr))} | {F3(list.Average(x => x.Ssim))} |");
        Console.WriteLine();
        Console.WriteLine("| side | fit once s | preview s / edit | full edit s |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {h} | {F2(fit.Average())} | {F3(preview.Average())} | {(full.Count == 0 ? "–" : F2(full.Average()))} |");
        return 0;
    }

    /// <summary>Fraction of the masked pixels that the emoji segmenter assigns to each concept.</summary>
    static double[] ConceptFractions(Tensor image, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var s = EmojiColorSegmenter.Segment(image.clamp(-1, 1)) * mask;        // [1, K, H, W]
        return (s.sum(new long[] { 0, 2, 3 }) / mask.sum()).to(float64).data<double>().ToArray();
    }

    /// <summary>PSNR over the pixels outside the mask, and the mean SSIM of the windows centred outside it.</summary>
    static (double Psnr, double Ssim) Outside(Tensor edited, Tensor photo, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var keep = (1 - mask).expand_as(photo);
        double mse = ((edited.clamp(-1, 1) - photo).square() * keep).sum().item<float>() / keep.sum().item<float>();
        double psnr = mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(4.0 / mse);
        var map = ImageQuality.SsimMap(edited.clamp(-1, 1), photo).mean(new long[] { 1 });   // [1, H', W']
        int off = (int)(photo.shape[2] - map.shape[1]) / 2;
        var centre = (1 - mask)[0, 0, off..(off + (int)map.shape[1]), off..(off + (int)map.shape[2])];
        double ssim = (map[0] * centre).sum().item<float>() / Math.Max(1, centre.sum().item<float>());
        return (psnr, ssim);
    }
}
