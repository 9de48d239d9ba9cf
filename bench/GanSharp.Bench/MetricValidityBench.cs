using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Does a feature network's space tell good images from bad ones? Scores rows of known quality against one reference
/// set with the FID-style distance, precision/recall and density/coverage (k = 3): real held-out images (the floor),
/// the held-out images lightly blurred, one or more generators, the held-out images heavily blurred, and uniform noise.
/// The network passes when the FID-style distance ranks floor &lt; light blur &lt; first generator &lt; heavy blur &lt;
/// noise and the first generator is at least <c>--min-ratio</c> × the floor. Two rows are shown but not ranked: N
/// images of the reference itself (in-sample: the part of the floor that is sampling error at this N; the rest is the
/// network's generalisation gap) and real images of another style (<c>--other</c>). Every row has the same N; the
/// reference features are computed once.
/// </summary>
public static class MetricValidityBench
{
    /// <summary>A preset: what each option defaults to for one dataset.</summary>
    sealed record Preset(string Features, string Reference, string Floor, string[] Others, string[] Generators, int Count, string ReferenceCount);

    static readonly Dictionary<string, Preset> Presets = new()
    {
        ["emoji"] = new("features-emoji", "emoji:google:train", "emoji:google:heldout", new[] { "emoji:twitter:heldout" }, new[] { "stylegan-emoji" }, 192, "all"),
        ["fashion-mnist"] = new("features-fashion-mnist", "fashion-mnist:train", "fashion-mnist:test", Array.Empty<string>(), new[] { "dcgan-fashion" }, 1000, "10000"),
    };

    /// <summary>
    /// Runs the check and prints a Markdown table. Options: <c>--preset emoji|fashion-mnist</c> (emoji) sets the defaults
    /// of the others: <c>--features PATH</c> (the bundled feature network), <c>--reference SPEC</c> (emoji:google:train |
    /// fashion-mnist:train), <c>--reference-count N|all</c> (all | 10000: a seeded subset), <c>--floor SPEC</c>
    /// (emoji:google:heldout | fashion-mnist:test), <c>--other SPEC</c> (repeatable; emoji:twitter:heldout | none; an
    /// informative row outside the ranking), <c>--generator PATH</c> (repeatable; the bundled stylegan-emoji |
    /// dcgan-fashion; the first one is ranked), <c>-n N</c> (192 | 1000 images per row), <c>--light-sigma S</c> (0.6),
    /// <c>--heavy-sigma S</c> (2), <c>--min-ratio R</c> (5), <c>--seed S</c> (0: the real subsets and the latents),
    /// <c>--threads T</c> (0 = libtorch default), <c>--assets PATH</c> (./assets). Exit code 0 when the ranking holds, 1 when not.
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string? Arg(string name) => opt.GetOrNull(name);
        string[] All(string name) => args.Select((a, i) => (a, i)).Where(t => t.a == name && t.i + 1 < args.Length).Select(t => args[t.i + 1]).ToArray();
        string presetName = Arg("--preset") ?? "emoji";
        if (!Presets.TryGetValue(presetName, out var preset))
            throw new GanSharpException($"--preset {presetName}: use one of {string.Join(", ", Presets.Keys)}");
        string assets = Arg("--assets") ?? "assets";
        string Bundled(string name) => Path.Combine(assets, "checkpoints", name);
        string featuresPath = Arg("--features") ?? Bundled(preset.Features);
        string referenceSpec = Arg("--reference") ?? preset.Reference, floorSpec = Arg("--floor") ?? preset.Floor;
        var others = (All("--other") is { Length: > 0 } o ? o : preset.Others).Where(s => s != "none").ToArray();
        var generators = All("--generator") is { Length: > 0 } gs ? gs : preset.Generators.Select(Bundled).ToArray();
        int n = int.Parse(Arg("-n") ?? preset.Count.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        string referenceCount = Arg("--reference-count") ?? preset.ReferenceCount;
        double Real(string name, double fallback) => Arg(name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;
        double lightSigma = Real("--light-sigma", 0.6), heavySigma = Real("--heavy-sigma", 2), minRatio = Real("--min-ratio", 5);
        ulong seed = ulong.Parse(Arg("--seed") ?? "0", CultureInfo.InvariantCulture);
        var report = TorchRuntime.EnsureInitialized();
        TorchRuntime.SetThreads(int.Parse(Arg("--threads") ?? "0", CultureInfo.InvariantCulture));
        if (!(lightSigma < heavySigma)) throw new GanSharpException($"--light-sigma {lightSigma} must be below --heavy-sigma {heavySigma}");

        var clock = Stopwatch.StartNew();
        var net = FeatureNetwork.Load(featuresPath, CPU);
        var resolve = new DatasetResolveOptions(net.Config.Size, ImageModes.FromChannels(net.Config.Channels),
            BundledRoot: Path.Combine(assets, "samples"), ExactSize: true);
        var reference = DatasetResolver.Resolve(referenceSpec, resolve);
        var floor = DatasetResolver.Resolve(floorSpec, resolve);
        int refCount = referenceCount == "all" ? reference.Count : int.Parse(referenceCount, CultureInfo.InvariantCulture);
        var rowOptions = new SampleSetOptions(n, Seed: seed).Validate();
        if (refCount < n) throw new GanSharpException($"--reference-count {refCount}: the reference needs at least N = {n} images");
        using var referenceFeatures = SampleSet.FeaturesOf(net, reference, new SampleSetOptions(refCount, Seed: seed ^ 0x5EF5EFUL)); // [R, D]
        using var referenceStats = FrechetDistance.Statistics(referenceFeatures);

        var info = net.Info;
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; features {featuresPath} ({net.Config.Channels}×{net.Config.Size}², width {net.Config.Width}, D = {net.FeatureDim}" +
                          (info is null ? ")" : string.Create(CultureInfo.InvariantCulture, $", {info.ClassNames.Count} classes of {info.TrainedOn}, held-out accuracy {info.ValidationAccuracy:P1})")));
        Console.WriteLine($"reference: {refCount} images of {reference.Name}; every row: N = {n} images; k = {PrecisionRecall.DefaultK}; seed {seed}");
        Console.WriteLine();
        Console.WriteLine("| row | FID-style ↓ | × floor | precision ↑ | recall ↑ | density ↑ | coverage ↑ |");
        Console.WriteLine("|---|---|---|---|---|---|---|");

        var fid = new Dictionary<string, double>();
        var higherBetter = new Dictionary<string, double[]>(); // row → precision, recall, density, coverage
        double floorFid = double.NaN;
        void Row(string key, string label, Tensor features) // features: [N, D]
        {
            using var stats = FrechetDistance.Statistics(features);
            double d2 = FrechetDistance.Compute(referenceStats, stats);
            var pr = PrecisionRecall.Compute(referenceFeatures, features);
            var dc = DensityCoverage.Compute(referenceFeatures, features);
            fid[key] = d2;
            higherBetter[key] = new[] { pr.Precision, pr.Recall, dc.Density, dc.Coverage };
            if (key == "floor") floorFid = d2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {d2:0.00} | {d2 / floorFid:0.0} | {pr.Precision:0.000} | {pr.Recall:0.000} | {dc.Density:0.000} | {dc.Coverage:0.000} |"));
        }
        Tensor OfImages(Tensor images) // [N, C, H, W] → [N, D]
        {
            int done = 0;
            return SampleSet.FeaturesOf(net, b => { var x = images.narrow(0, done, b).clone(); done += b; return x; }, rowOptions);
        }

        using var scope = NewDisposeScope();
        var floorSubset = floor.Count == n ? floor : floor.Shuffle(seed).Take(n);
        if (floorSubset.Count < n) throw new GanSharpException($"{floor.Name} has {floor.Count} images, fewer than N = {n}", "lower -n");
        var floorImages = DataLoader.LoadAll(floorSubset); // [N, C, H, W]
        Row("floor", $"real held-out ({floor.Name}, the floor)", OfImages(floorImages));
        // Not ranked: N images of the reference itself, the sampling part of the floor (the rest is the network's generalisation gap).
        Row("in-sample", $"real, not ranked: {n} of the reference itself (in-sample)", referenceFeatures.index_select(0, arange(n) * (refCount / n)));
        foreach (var other in others.Select(spec => DatasetResolver.Resolve(spec, resolve)))
            Row("other:" + other.Name, $"real, not ranked ({other.Name})", SampleSet.FeaturesOf(net, other, rowOptions));
        Row("light", string.Create(CultureInfo.InvariantCulture, $"real held-out, blurred σ = {lightSigma} px"), OfImages(GaussianBlur.Apply(floorImages, lightSigma)));
        for (int i = 0; i < generators.Length; i++)
        {
            var g = GanCheckpoint.Open(generators[i]).LoadGenerator(CPU);
            if (g.Output.Channels != net.Config.Channels)
                throw new GanSharpException($"--generator {generators[i]} makes {g.Output.Channels}-channel images; the feature network takes {net.Config.Channels}");
            using var rng = new Generator(seed + 1);
            manual_seed((long)(seed % long.MaxValue) + 1); // per-layer noise inputs (StyleGAN) come from the global generator
            Tensor Generate(int batch)
            {
                using var _ = no_grad();
                return g.Generate(g.SampleLatents(batch, rng));
            }
            Row(i == 0 ? "generator" : "generator:" + i, $"generator {generators[i]}", SampleSet.FeaturesOf(net, Generate, rowOptions));
        }
        Row("heavy", string.Create(CultureInfo.InvariantCulture, $"real held-out, blurred σ = {heavySigma} px"), OfImages(GaussianBlur.Apply(floorImages, heavySigma)));
        using (var noiseRng = new Generator(seed + 2))
            Row("noise", "uniform noise in [-1, 1]", OfImages(rand(floorImages.shape, generator: noiseRng) * 2 - 1));

        var order = new[] { "floor", "light", "generator", "heavy", "noise" };
        var broken = order.Zip(order.Skip(1)).Where(p => !(fid[p.First] < fid[p.Second])).Select(p => $"{p.First} ≥ {p.Second}").ToList();
        double ratio = fid["generator"] / fid["floor"];
        if (!(ratio >= minRatio)) broken.Add(string.Create(CultureInfo.InvariantCulture, $"generator only {ratio:0.0}× the floor"));
        string[] names = { "precision", "recall", "density", "coverage" };
        var agree = names.Where((_, m) => order.Zip(order.Skip(1)).All(p => higherBetter[p.First][m] > higherBetter[p.Second][m])).ToArray();
        Console.WriteLine();
        Console.WriteLine($"Also ranked so (strictly), not checked: {(agree.Length == 0 ? "none" : string.Join(", ", agree))} ({agree.Length} of {names.Length}: {string.Join(", ", names)}).");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ranking floor < light blur < generator < heavy blur < noise, generator ≥ {minRatio}× floor: {(broken.Count == 0 ? "PASS" : "FAIL (" + string.Join("; ", broken) + ")")} ({clock.Elapsed.TotalSeconds:0} s)"));
        return broken.Count == 0 ? 0 : 1;
    }
}
