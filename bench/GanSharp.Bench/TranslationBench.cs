using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Translation;
using GanSharp.Methods.Translation.CycleGan;
using GanSharp.Training;
using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Unpaired translation measured against the true pairs that emoji have: the same code point drawn in both styles. On the
/// held-out code points (never trained on), for each checkpoint and both directions: the distance of the translation to
/// the TRUE target-style image next to the distance of the untranslated source to it (mean absolute pixel error, SSIM,
/// the LPIPS-style distance in the emoji feature network's space), the FID-style distance of all translations to the
/// real target domain's training images (with the real-vs-real floor: the target's own held-out images) and the
/// translation speed. Models larger than the feature network (64 px against its 32) are measured at their own size for
/// the pixel error and SSIM, and through an area down-sampling for the perceptual and FID-style distances.
/// </summary>
public static class TranslationBench
{
    /// <summary>
    /// Options: <c>--checkpoint PATH</c> (repeatable; default: the bundled cyclegan-emoji and ugatit-emoji that exist),
    /// <c>--a SPEC</c> (emoji:google:heldout), <c>--b SPEC</c> (emoji:twitter:heldout), <c>--a-train SPEC</c> /
    /// <c>--b-train SPEC</c> (the FID-style references: emoji:google:train, emoji:twitter:train), <c>--features PATH</c>
    /// (assets/checkpoints/features-emoji), <c>--threads T</c>, <c>--assets PATH</c> (./assets);
    /// <c>--paired-steps N</c> adds the supervised bound: CycleGAN's ResNet generator trained for N steps per direction WITH
    /// the true pairs of the training code points (L1 to the true target; <c>--paired-train-a SPEC</c> emoji:google:train,
    /// <c>--paired-train-b SPEC</c> emoji:twitter:train, <c>--paired-size</c> 32, <c>--paired-width</c> 16,
    /// <c>--paired-batch</c> 8), what no unpaired translator of that size can be expected to beat.
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string? Arg(string name) => opt.GetOrNull(name);
        string[] All(string name) => args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToArray();
        string assets = Arg("--assets") ?? "assets";
        var checkpoints = All("--checkpoint");
        if (checkpoints.Length == 0)
            checkpoints = new[] { "cyclegan-emoji", "ugatit-emoji" }.Select(n => Path.Combine(assets, "checkpoints", n)).Where(Directory.Exists).ToArray();
        int pairedSteps = opt.Int("--paired-steps", 0);
        if (checkpoints.Length == 0 && pairedSteps == 0) throw new GanSharpException("no translation checkpoint: pass --checkpoint PATH");
        var report = TorchRuntime.EnsureInitialized();
        TorchRuntime.SetThreads(int.Parse(Arg("--threads") ?? "0", CultureInfo.InvariantCulture));
        using var features = FeatureNetwork.Load(Arg("--features") ?? Path.Combine(assets, "checkpoints", "features-emoji"), CPU);
        var phi = new FeatureNetworkPerceptual(features);
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; features D = {features.FeatureDim} at {features.Config.Size} px");

        // The references are read at the feature network's size; the pairs and the untranslated rows at each model's size
        // (once per size). A model larger than the feature network (64 px against 32) is measured at its own size for the
        // pixel error and SSIM, and through an area down-sampling to the network's size for the perceptual and FID-style distances.
        int size = features.Config.Size;
        DatasetResolveOptions Resolve(int side) => new(side, ImageModes.FromChannels(features.Config.Channels), BundledRoot: Path.Combine(assets, "samples"));
        var references = new[] { TranslationDirection.AToB, TranslationDirection.BToA }.ToDictionary(dir => dir, dir =>
        {
            var reference = DatasetResolver.Resolve(Arg(dir == TranslationDirection.AToB ? "--b-train" : "--a-train")
                                                    ?? (dir == TranslationDirection.AToB ? "emoji:twitter:train" : "emoji:google:train"), Resolve(size));
            using var refFeatures = FeaturesOf(features, DataLoader.LoadAll(reference));
            return FrechetDistance.Statistics(refFeatures);
        });
        var bySize = new Dictionary<int, Dictionary<TranslationDirection, HeldOutPairs>>();
        Dictionary<TranslationDirection, HeldOutPairs> Directions(int side)
        {
            if (bySize.TryGetValue(side, out var known)) return known;
            var (xa, xb) = Paired(DatasetResolver.Resolve(Arg("--a") ?? "emoji:google:heldout", Resolve(side)),
                                  DatasetResolver.Resolve(Arg("--b") ?? "emoji:twitter:heldout", Resolve(side))); // [N, C, side, side] each, row i of both is the same code point
            return bySize[side] = new[] { TranslationDirection.AToB, TranslationDirection.BToA }.ToDictionary(dir => dir, dir =>
            {
                var (source, truth) = dir == TranslationDirection.AToB ? (xa, xb) : (xb, xa);
                return new HeldOutPairs(source, truth, Distances(phi, size, source, truth),
                    Fid(features, references[dir], truth), Fid(features, references[dir], source));
            });
        }

        var rows = new List<string>();
        var fidRows = new List<string>();
        void AddRows(string label, TranslationDirection dir, HeldOutPairs d, Tensor translated, string speed)
        {
            var (srcMae, srcSsim, srcPerc) = d.SourceDistances;
            var (trMae, trSsim, trPerc) = Distances(phi, size, translated, d.Truth);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {dir.Name()} | {srcMae:0.0000} → {trMae:0.0000} ({Gain(srcMae, trMae)}) | {srcSsim:0.000} → {trSsim:0.000} | {srcPerc:0.000} → {trPerc:0.000} ({Gain(srcPerc, trPerc)}) | {speed} |"));
            fidRows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {dir.Name()} | {d.FloorFid:0.00} | {d.SourceFid:0.00} | {Fid(features, references[dir], translated):0.00} |"));
        }
        foreach (var path in checkpoints)
        {
            using var loaded = Translators.Load(path, CPU);
            if (loaded.Image.Height % size != 0 || loaded.Image.Width != loaded.Image.Height || loaded.Image.Channels != features.Config.Channels)
                throw new GanSharpException($"{path}: the model draws {loaded.Image}; the feature network reads {features.Config.Channels}x{size}x{size}, so the model must draw square {features.Config.Channels}-channel images of a multiple of {size} px");
            string label = $"{loaded.Method} {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} (step {loaded.Step}, {loaded.Image.Height} px)";
            foreach (var (dir, d) in Directions(loaded.Image.Height))
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                var translated = InChunks(x => loaded.Translator.Translate(x, dir), d.Source); // [N, C, H, W]
                double perSecond = d.Source.shape[0] / clock.Elapsed.TotalSeconds;
                AddRows(label, dir, d, translated, perSecond.ToString("0", CultureInfo.InvariantCulture));
                Console.Error.WriteLine($"{label} {dir.Name()}: done in {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }
        if (pairedSteps > 0)
        {
            int side = opt.Int("--paired-size", 32);
            var config = new CycleGanConfig(Channels: features.Config.Channels, Size: side, Width: opt.Int("--paired-width", 16));
            var (trainA, trainB) = Paired(DatasetResolver.Resolve(Arg("--paired-train-a") ?? "emoji:google:train", Resolve(side)),
                                          DatasetResolver.Resolve(Arg("--paired-train-b") ?? "emoji:twitter:train", Resolve(side)));
            string label = $"supervised bound: ResNet generator width {config.Width}, L1 on {trainA.shape[0]} training pairs, {pairedSteps} steps ({side} px)";
            foreach (var (dir, d) in Directions(side))
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                var (source, target) = dir == TranslationDirection.AToB ? (trainA, trainB) : (trainB, trainA);
                using var g = TrainPaired(config, source, target, pairedSteps, opt.Int("--paired-batch", 8), seed: 0);
                double trainSeconds = clock.Elapsed.TotalSeconds;
                Tensor translated;
                using (no_grad()) translated = InChunks(g.call, d.Source); // [N, C, H, W]
                AddRows(label, dir, d, translated, string.Create(CultureInfo.InvariantCulture, $"trained in {trainSeconds:0} s"));
                Console.Error.WriteLine($"{label} {dir.Name()}: trained in {trainSeconds:0} s");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Held-out pairs: {Arg("--a") ?? "emoji:google:heldout"} ↔ {Arg("--b") ?? "emoji:twitter:heldout"}. Each cell: the untranslated source's distance to the true target → the translation's (relative change).");
        Console.WriteLine();
        Console.WriteLine("| model | direction | mean abs. error ↓ | SSIM ↑ | perceptual ↓ | images/s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("FID-style distance to the target style's training images (same N for every column):");
        Console.WriteLine();
        Console.WriteLine("| model | direction | floor: real held-out target ↓ | untranslated source ↓ | translation ↓ |");
        Console.WriteLine("|---|---|---|---|---|");
        fidRows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>
    /// CycleGAN's ResNet generator trained WITH the pairs: L1 between G(source) and the true target, Adam(2e-4, 0.5, 0.999)
    /// as CycleGAN's, constant then linearly decayed to 0 over the second half, minibatches drawn at random with the same
    /// horizontal flip for both images of a pair.
    /// </summary>
    static ResnetGenerator TrainPaired(CycleGanConfig config, Tensor source, Tensor target, int steps, int batch, ulong seed)
    {
        using var rng = new Generator(seed);
        var g = new ResnetGenerator(config, init: rng);
        using var adam = optim.Adam(g.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        long n = source.shape[0];
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            foreach (var group in adam.ParamGroups) group.LearningRate = 2e-4 * LearningRateCurves.LinearDecay(step, steps, 0.5);
            var index = randint(n, new long[] { batch }, generator: rng);
            Tensor x = source.index_select(0, index), y = target.index_select(0, index); // [B, C, H, W]
            if (rand(1, generator: rng).item<float>() < 0.5f) (x, y) = (x.flip(3), y.flip(3));
            adam.zero_grad();
            var loss = (g.call(x) - y).abs().mean();
            loss.backward();
            adam.step();
            if ((step + 1) % 500 == 0) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  paired step {step + 1}/{steps}: L1 {loss.item<float>():0.0000}"));
        }
        g.eval();
        return g;
    }

    /// <summary>One direction's held-out pairs at one image size, with the untranslated source's distances to the truth.</summary>
    sealed record HeldOutPairs(Tensor Source, Tensor Truth, (double Mae, double Ssim, double Perceptual) SourceDistances, double FloorFid, double SourceFid);

    /// <summary>The images of <paramref name="a"/> and <paramref name="b"/> whose ids (code points, file names) both have, in the same order.</summary>
    static (Tensor A, Tensor B) Paired(IImageDataset a, IImageDataset b)
    {
        var pairs = new PairedDataset(a, b);
        if (pairs.Count == 0) throw new GanSharpException($"{a.Name} and {b.Name} share no image id: there are no true pairs to measure against");
        return (DataLoader.LoadAll(pairs.A), DataLoader.LoadAll(pairs.B));
    }

    /// <summary><paramref name="f"/> applied to <paramref name="x"/> 32 images at a time, clamped to [-1, 1].</summary>
    static Tensor InChunks(Func<Tensor, Tensor> f, Tensor x)
    {
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += 32)
            parts.Add(f(x.narrow(0, s, Math.Min(32, x.shape[0] - s))).clamp(-1, 1));
        return cat(parts, 0);
    }

    /// <summary>Pixel error and SSIM at the images' own size; the perceptual distance at the feature network's <paramref name="featureSize"/>.</summary>
    static (double Mae, double Ssim, double Perceptual) Distances(IPerceptualFeatures phi, int featureSize, Tensor x, Tensor y)
    {
        using var _ = no_grad();
        double mae = (x - y).abs().mean().item<float>() / 2; // on [0, 1] pixels
        double ssim = ImageQuality.MeanSsim(x, y);
        double perceptual = PerceptualLoss.Distance(phi, AtSize(x, featureSize), AtSize(y, featureSize)).mean().item<float>();
        return (mae, ssim, perceptual);
    }

    /// <summary>Images area-down-sampled to <paramref name="side"/> px (a whole factor); as they are when already that size.</summary>
    static Tensor AtSize(Tensor x, int side)
    {
        long factor = x.shape[2] / side;
        return factor == 1 ? x : nn.functional.avg_pool2d(x, factor); // [N, C, side, side]
    }

    /// <summary>FID-style distance of <paramref name="x"/>'s features to the reference statistics.</summary>
    static double Fid(FeatureNetwork net, FeatureStatistics reference, Tensor x)
    {
        using var f = FeaturesOf(net, x);
        using var s = FrechetDistance.Statistics(f);
        return FrechetDistance.Compute(reference, s);
    }

    static Tensor FeaturesOf(FeatureNetwork net, Tensor x)
    {
        using var _ = no_grad();
        return net.Features(AtSize(x, net.Config.Size)).to(float64);
    }

    static string Gain(double before, double after)
    {
        if (before == 0) return "n/a";
        long percent = (long)Math.Round(100 * (after / before - 1));
        return (percent > 0 ? "+" : percent < 0 ? "−" : "±") + Math.Abs(percent).ToString(CultureInfo.InvariantCulture) + " %";
    }
}
