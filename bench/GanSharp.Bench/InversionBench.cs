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
using GanSharp.Platform;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Inversion and restoration quality of a generator (default: the bundled DCGAN Fashion-MNIST one) on held-out images
/// (default: Fashion-MNIST test images; the generator was trained on the training split): PSNR, SSIM, the LPIPS-style
/// distance in the feature network's space (no learned weights; not comparable to published LPIPS) and seconds per image,
/// for single-code inversion, mGANprior over N codes and composition layers, and each restoration task against its
/// degraded input and classical baseline (<see cref="ClassicalBaseline"/>). DCGAN has no
/// mapping network, so w = z: the single-code row covers z, w and (with StyleCount 1) w+.
/// </summary>
public static class InversionBench
{
    /// <summary>
    /// Runs the benchmark. Options: <c>--generator PATH</c> (assets/checkpoints/dcgan-fashion), <c>--data SPEC</c>
    /// (fashion-mnist:test), <c>--features PATH|none</c> (the bundled feature network when its channels match),
    /// <c>--images N</c> (16), <c>--pick first|spread</c> (the first N, or N evenly spaced over the set: emoji sets are
    /// ordered by category), <c>--steps S</c> (the library default), <c>--lr</c>, <c>--pw</c> (perceptual weight),
    /// <c>--prior</c> (latent prior weight), <c>--space z|w|wplus</c>, <c>--sections invert,encoder,restore</c>
    /// (encoder: encoder, hybrid and PadInv rows; <c>--encoder CKPT</c> / <c>--padinv CKPT</c> or trained here for
    /// <c>--encoder-steps</c> (300) steps on <c>--train-data</c> (fashion-mnist:train)),
    /// <c>--codes 1,5,10,20,30</c>, <c>--layers 0,1,2</c>, <c>--tasks inpaint,sr2,sr4,denoise,colorize</c> (colorize: n/a for gray
    /// generators), <c>--methods single,mganprior</c> (empty: the degraded input and classical baseline only),
    /// <c>--baseline-data SPEC</c> (the training images the colorize and denoise baselines are fitted on; default: the
    /// training split of <c>--data</c>, e.g. fashion-mnist:train, emoji:twitter:train), <c>--chroma pixel|global</c> (the
    /// colorize baseline's mean colour per pixel position or one for the image), <c>--restore-codes N</c>, <c>--restore-layer L</c>, <c>--restarts K</c> (GAN rows: the mean of K restorations from different starts), <c>--oracle-chroma</c> (colorize: adds each GAN row's colours scaled by the one factor that fits the truth best, an upper bound for toning them down), <c>--restart-curve</c> (with K restarts: rows for the mean of the first 1, 2, 4, … of them), <c>--shrink λ,…</c> (colorize with restarts: adds rows with each pixel's mean chroma m scaled by |m|² / (|m|² + λ·v), v the restarts' disagreement there), <c>--fit-weight T,…</c> (colorize with restarts: adds the oracle restart chosen with the truth, the best-fitting one, and the restarts weighted by exp(−(E_k − E_min) / (T·E_min)), E_k restart k's mean squared luma error), <c>--d-weight T,…</c> (the same with the checkpoint's discriminator as the judge: the restart D scores highest and weights softmax(D / T); with <c>--fit-weight</c> too, one row with both), <c>--threads T</c>
    /// (0 = libtorch default), <c>--assets PATH</c> (./assets).
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int Int(string name, int fallback) => opt.Int(name, fallback);
        double Real(string name, double fallback) => opt.Double(name, fallback);
        string[] List(string name, string fallback) => opt.List(name, fallback);

        var defaults = new InversionOptions();
        var multiDefaults = new MultiCodeOptions();
        int images = Int("--images", 16);
        int threads = Int("--threads", 0);
        string assets = Arg("--assets", "assets");
        var sections = List("--sections", "invert,encoder,restore");
        var codes = List("--codes", "1,5,10,20,30").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var layers = List("--layers", "0,1,2").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var options = defaults with
        {
            Space = LatentSpaces.Parse(Arg("--space", defaults.Space.Name())),
            Steps = Int("--steps", defaults.Steps),
            LearningRate = Real("--lr", defaults.LearningRate),
            PerceptualWeight = Real("--pw", defaults.PerceptualWeight),
            LatentPriorWeight = Real("--prior", defaults.LatentPriorWeight),
            BatchSize = images,
        };
        options.Validate();
        var report = TorchRuntime.EnsureInitialized();
        if (threads > 0) TorchRuntime.SetThreads(threads);

        string generatorPath = Arg("--generator", Path.Combine(assets, "checkpoints", "dcgan-fashion"));
        var checkpoint = GanCheckpoint.Open(generatorPath);
        var g = checkpoint.LoadGenerator(CPU);
        // --d-weight's judge: the checkpoint's discriminator, loaded once, when first needed.
        var judge = new Lazy<IDiscriminator>(() => { var d = checkpoint.LoadDiscriminator(CPU); d.Module.eval(); return d; });
        var phi = LoadFeatures(Arg("--features", "auto"), assets, g);
        var all = DatasetResolver.Resolve(Arg("--data", "fashion-mnist:test"),
            new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels), BundledRoot: Path.Combine(assets, "samples")));
        var data = Arg("--pick", "first") switch
        {
            "first" => all.Take(images),
            "spread" => all.Spread(images),
            var other => throw new GanSharpException($"--pick {other}: use first or spread"),
        };
        var truth = DataLoader.LoadAll(data); // [N, C, H, W]
        images = (int)truth.shape[0];

        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; generator {generatorPath}; {images} images of {data.Name}; " +
                          string.Create(CultureInfo.InvariantCulture, $"{options.Steps} Adam steps, lr {options.LearningRate} {options.Schedule.ToString().ToLowerInvariant()}, ") +
                          string.Create(CultureInfo.InvariantCulture, $"λ_perceptual {(phi is null ? "– (no feature network)" : options.PerceptualWeight)}, latent prior {options.LatentPriorWeight}, space {options.Space.Name()}"));
        Console.WriteLine();
        if (sections.Contains("invert"))
        {
            Console.WriteLine("| method | codes N | layer ℓ | PSNR dB ↑ | SSIM ↑ | LPIPS-style ↓ | s / image |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Row("single code", "1", "–", Measure(() => GanRestoration.Restore(g, truth, null, PriorMethod.Single, options, null, phi).Restored));
            foreach (int layer in layers)
                foreach (int n in codes)
                    Row("mGANprior", n.ToString(CultureInfo.InvariantCulture), layer.ToString(CultureInfo.InvariantCulture),
                        Measure(() => GanRestoration.Restore(g, truth, null, PriorMethod.MultiCode, options, new MultiCodeOptions(n, layer), phi).Restored));
            Console.WriteLine();
        }

        if (sections.Contains("encoder"))
            EncoderSection(g, generatorPath, phi, truth, options, Arg("--train-data", "fashion-mnist:train"), Int("--encoder-steps", 300), Arg("--encoder", ""), Arg("--padinv", ""), assets, Row);

        if (sections.Contains("restore"))
        {
            var multi = new MultiCodeOptions(Int("--restore-codes", multiDefaults.Codes), Int("--restore-layer", multiDefaults.ResolveLayer(g)));
            var methods = List("--methods", "single,mganprior").Select(PriorMethods.Parse).ToArray();
            var tasks = List("--tasks", "inpaint,sr2,sr4,denoise,colorize");
            int restarts = Int("--restarts", 1);
            string averaged = restarts > 1 ? $", mean of {restarts} restarts" : "";
            var ops = tasks.Where(t => t != "colorize" || g.Output.Channels == 3).Select(t => Task(t, g.Output)).ToList();
            string baselineData = Arg("--baseline-data", TrainingCounterpart(Arg("--data", "fashion-mnist:test")) ?? "");
            Tensor? training = null;
            if (ops.Any(o => ClassicalBaseline.NeedsTraining(o.Op)))
            {
                if (baselineData.Length == 0)
                    throw new GanSharpException($"--data {Arg("--data", "")} has no training split to fit the colorize/denoise baselines on", "pass --baseline-data SPEC");
                var trainSet = DatasetResolver.Resolve(baselineData,
                    new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels), BundledRoot: Path.Combine(assets, "samples")));
                training = DataLoader.LoadAll(trainSet.Spread(BaselineTrainingImages)); // [≤2048, C, H, W]
                Console.WriteLine($"Classical baselines (colorize, denoise) fitted on {training.shape[0]} images of {trainSet.Name} (spread over the set); never the evaluated images.");
                Console.WriteLine();
            }
            Console.WriteLine("| task | method | PSNR dB ↑ | SSIM ↑ | LPIPS-style ↓ | PSNR dB of G(code) | s / image |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var task in tasks)
            {
                if (task == "colorize" && g.Output.Channels != 3)
                {
                    Console.WriteLine("| colorize | n/a: gray images have no colour to restore | | | | | |");
                    continue;
                }
                var (name, op) = Task(task, g.Output);
                var observed = op.Observe(truth, new Generator(7));
                var shown = op.Display(observed, g.Output);
                QualityRow(name, $"degraded input ({DisplayName(op)})", shown, "–", "–");
                var sw = Stopwatch.StartNew();
                var baseline = ClassicalBaseline.For(op, training, new Generator(11), perPixelChroma: Arg("--chroma", "pixel") == "pixel");
                var classical = baseline.Restore(observed);
                QualityRow(name, $"classical: {baseline.Name}", classical, "–", string.Create(CultureInfo.InvariantCulture, $"{sw.Elapsed.TotalSeconds / images:0.00}"));
                foreach (var method in methods)
                {
                    sw.Restart();
                    var r = GanRestoration.Restore(g, observed, op, method, options, multi, phi, restarts: restarts);
                    double seconds = sw.Elapsed.TotalSeconds;
                    var restored = r.Restored.clamp(-1, 1);
                    QualityRow(name, (method == PriorMethod.Single ? "single code" : $"mGANprior N {multi.Codes}, ℓ {multi.ResolveLayer(g)}") + averaged, restored,
                        string.Create(CultureInfo.InvariantCulture, $"{ImageQuality.MeanPsnr(r.Generated.clamp(-1, 1), truth):0.00}"),
                        string.Create(CultureInfo.InvariantCulture, $"{seconds / images:0.00}"));
                    if (op is GrayscaleDegradation && opt.Has("--oracle-chroma"))
                    {
                        // An upper bound for toning the guessed colours down: the one chroma scale α that minimises the
                        // squared error over all images, chosen WITH the truth (α = Σ⟨c, ĉ⟩ / Σ|ĉ|², c the true chroma).
                        var trueChroma = truth - ColorOps.RgbToGray(truth);
                        var guessed = restored - ColorOps.RgbToGray(restored);
                        double alpha = Math.Max(0, (trueChroma * guessed).sum().item<float>() / Math.Max((guessed * guessed).sum().item<float>(), 1e-12f));
                        QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"oracle: its chroma × {alpha:0.00} (scale chosen with the truth)"),
                            ClassicalRestoration.Colorize(observed, guessed * alpha), "–", "–");
                    }
                    bool curve = restarts > 2 && opt.Has("--restart-curve");
                    bool shrink = op is GrayscaleDegradation && restarts > 1 && opt.Has("--shrink");
                    bool fitWeight = op is GrayscaleDegradation && restarts > 1 && (opt.Has("--fit-weight") || opt.Has("--d-weight"));
                    if (!curve && !shrink && !fitWeight) continue;
                    using var noGrad = no_grad();
                    // Each restart's consistent restoration (restart-major, as GanRestoration.Restore batches them). // [K, N, C, H, W]
                    var gen = (r.Single?.Reconstructions ?? r.Multi!.Reconstructions).clamp(-1, 1); // [K·N, C, H, W]
                    var each = op.Consistent(gen, observed.repeat(new long[] { restarts }.Concat(Enumerable.Repeat(1L, (int)observed.dim() - 1)).ToArray()))
                        .view(new long[] { restarts, images }.Concat(truth.shape.Skip(1)).ToArray());
                    if (curve)
                    {
                        // The mean of the first k restarts for k = 1, 2, 4, … below K: how the estimate improves with restarts
                        // (restart k's start is drawn with seed Seed + k, so these are the restorations a --restarts k run would start from).
                        for (int k = 1; k < restarts; k *= 2)
                            QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"the mean of its first {k} restart(s)"),
                                each.narrow(0, 0, k).mean(new long[] { 0 }).clamp(-1, 1), "–", "–");
                    }
                    if (fitWeight)
                    {
                        // Restarts weighted by how well their G(code) fits the observed luma: per image, restart k gets
                        // exp(−(E_k − E_min) / (T · E_min)), E_k the mean squared luma error of G(code_k), so that with a
                        // small T the best-fitting restart decides and with a large T all count alike (the plain mean).
                        var lumaError = (ColorOps.RgbToGray(gen).view(restarts, images, -1) - observed.view(1, images, -1)).pow(2).mean(new long[] { 2 }); // [K, N]
                        var best = lumaError.min(0).values;                                          // [N]
                        var c = each - observed;                                                      // [K, N, 3, H, W]
                        // The colorization with chroma Σ_k w_k c_k (w [K, N], summing to 1 over k), and one restart per image.
                        Tensor Weighted(Tensor w) => ClassicalRestoration.Colorize(observed, (c * w.view(restarts, images, 1, 1, 1)).sum(new long[] { 0 }));
                        Tensor Pick(Tensor k) => each.permute(1, 0, 2, 3, 4)[arange(images), k];        // [N, 3, H, W]
                        // Upper bound: the restart closest to the truth, chosen WITH the truth.
                        var truthError = (each - truth.unsqueeze(0)).pow(2).view(restarts, images, -1).mean(new long[] { 2 }); // [K, N]
                        var oracle = truthError.argmin(0);                                            // [N]
                        QualityRow(name, "oracle: the restart closest to the truth (chosen with the truth)", Pick(oracle), "–", "–");
                        var fittest = lumaError.argmin(0);
                        QualityRow(name, "the restart whose G(code) fits the gray levels best", Pick(fittest), "–", "–");
                        var agreement = (fittest == oracle).to(float32).mean().item<float>();
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  | (the best-fitting restart is the oracle's for {agreement:P0} of the images) | | | | | |"));
                        if (opt.Has("--d-weight"))
                        {
                            // The discriminator as the judge: each restart's consistent colorization scored by D (batches of
                            // one restart's N images, so that minibatch statistics see the same neighbours), weights softmax(D / T).
                            var scores = stack(Enumerable.Range(0, restarts).Select(k => judge.Value.Score(each[k])).ToArray()); // [K, N]
                            var judged = scores.argmax(0);
                            QualityRow(name, "the restart D scores highest", Pick(judged), "–", "–");
                            var dAgree = (judged == oracle).to(float32).mean().item<float>();
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  | (D's choice is the oracle's for {dAgree:P0} of the images) | | | | | |"));
                            foreach (var text in List("--d-weight", "1"))
                            {
                                double t = double.Parse(text, CultureInfo.InvariantCulture);
                                var w = (scores / t).softmax(0);                                      // [K, N]
                                QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"restarts weighted by softmax(D / {t})"),
                                    Weighted(w), "–", "–");
                            }
                            if (opt.Has("--fit-weight"))
                            {
                                // Both judges at once: log-weights D / T_D − (E_k − E_min) / (T_fit · E_min), the first value of each list.
                                double td = double.Parse(List("--d-weight", "1")[0], CultureInfo.InvariantCulture);
                                double tf = double.Parse(List("--fit-weight", "1")[0], CultureInfo.InvariantCulture);
                                var w = (scores / td - (lumaError - best) / (tf * best + 1e-12)).softmax(0);
                                QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"restarts weighted by softmax(D / {td}) and their luma fit, T {tf}"),
                                    Weighted(w), "–", "–");
                            }
                        }
                        foreach (var text in List("--fit-weight", "1"))
                        {
                            double t = double.Parse(text, CultureInfo.InvariantCulture);
                            var w = (-(lumaError - best) / (t * best + 1e-12)).softmax(0);            // [K, N]
                            QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"restarts weighted by their luma fit, T {t}"),
                                Weighted(w), "–", "–");
                        }
                    }
                    if (shrink)
                    {
                        // Per-pixel shrinkage of the restarts' mean chroma m by their disagreement v (the mean squared
                        // deviation of each restart's chroma from m): m · |m|² / (|m|² + λ·v), a Wiener-style factor.
                        var c = each - observed;                                                  // [K, N, 3, H, W]: the chroma (the luma is the observation's)
                        var m = c.mean(new long[] { 0 });                                         // [N, 3, H, W]
                        var v = (c - m).pow(2).mean(new long[] { 0 }).sum(1, keepdim: true);     // [N, 1, H, W]
                        var msq = m.pow(2).sum(1, keepdim: true);                                 // [N, 1, H, W]
                        foreach (var text in List("--shrink", "1"))
                        {
                            double lambda = double.Parse(text, CultureInfo.InvariantCulture);
                            var f = msq / (msq + lambda * v + 1e-12);
                            QualityRow(name, string.Create(CultureInfo.InvariantCulture, $"its chroma shrunk by the restarts' disagreement, λ {lambda} (mean factor {f.mean().item<float>():0.00})"),
                                ClassicalRestoration.Colorize(observed, m * f), "–", "–");
                        }
                    }
                }
            }
            Console.WriteLine();
            Console.WriteLine("Degraded input: the observation as the figures show it (masked with the hole at 0, nearest-upsampled, noisy, gray). Classical: " +
                              "bicubic up-sampling; harmonic (diffusion) inpainting; observed luma plus the training images' per-pixel mean chroma; Gaussian filter " +
                              "with σ chosen on the noisy training images (s / image includes fitting). GAN rows: G(code) made consistent with the observation " +
                              "(inpainting pastes the known pixels, colorization keeps the observed luma, super-resolution adds the low-resolution error back per block; denoising blends G(code) with the noisy image by their estimated error variances).");
        }
        Console.WriteLine("LPIPS-style = Σ over the feature network's stages of the spatial mean of Σ_c (unit-normalised feature difference)², no learned weights.");
        return 0;

        (Tensor Images, double Seconds) Measure(Func<Tensor> run)
        {
            var sw = Stopwatch.StartNew();
            var result = run();
            return (result.clamp(-1, 1), sw.Elapsed.TotalSeconds);
        }

        string Lpips(Tensor restored)
        {
            if (phi is null) return "–";
            using var _ = no_grad();
            return PerceptualLoss.Distance(phi, restored, truth).mean().item<float>().ToString("0.000", CultureInfo.InvariantCulture);
        }

        void QualityRow(string task, string method, Tensor restored, string generated, string seconds) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {task} | {method} | {ImageQuality.MeanPsnr(restored, truth):0.00} | {ImageQuality.MeanSsim(restored, truth):0.000} | {Lpips(restored)} | {generated} | {seconds} |"));

        void Row(string method, string n, string layer, (Tensor Images, double Seconds) r) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {method} | {n} | {layer} | {ImageQuality.MeanPsnr(r.Images, truth):0.00} | {ImageQuality.MeanSsim(r.Images, truth):0.000} | {Lpips(r.Images)} | {r.Seconds / images:0.00} |"));
    }

    /// <summary>
    /// Encoder, hybrid and (for generators with padded convolutions) PadInv rows: the encoders are read from
    /// <c>--encoder</c> / <c>--padinv</c> checkpoints or trained here for <c>--encoder-steps</c> steps (batch 32) on
    /// <c>--train-data</c> with the generic loop, into a temporary run folder.
    /// </summary>
    static void EncoderSection(IGenerator g, string generatorPath, IPerceptualFeatures? phi, Tensor truth, InversionOptions options, string trainData, int steps,
        string encoderPath, string padinvPath, string assets, Action<string, string, string, (Tensor Images, double Seconds)> row)
    {
        int images = (int)truth.shape[0];
        var data = DatasetResolver.Resolve(trainData, new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels), BundledRoot: Path.Combine(assets, "samples")));
        var scratch = Path.Combine(Path.GetTempPath(), "gansharp-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var training = new TrainingOptions(Steps: steps, BatchSize: 32, Seed: 0, LogEvery: 50, SampleEvery: 0, CheckpointEvery: 0, Prefetch: 1);
            string Train(ITrainingMethod method)
            {
                var sw = Stopwatch.StartNew();
                var trainer = new Trainer(method, data, training, CPU);
                using var run = RunFolder.Create(scratch, method.Name, "bench", trainer.ResolvedConfig(), tensorBoard: false);
                var result = trainer.Run(run);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {method.Name} for {steps} steps on {data.Name} in {sw.Elapsed.TotalSeconds:0} s"));
                return result.LastCheckpoint!;
            }
            Console.WriteLine("| method | codes N | layer ℓ | PSNR dB ↑ | SSIM ↑ | LPIPS-style ↓ | s / image |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            if (encoderPath.Length == 0)
            {
                using var method = new EncoderMethod(g, EncoderArchitecture.For(g, LatentSpace.W, new EncoderOptions().Width, generatorPath), new EncoderOptions(), phi, CPU, 0);
                encoderPath = Train(method);
            }
            var opened = EncoderCheckpoint.Open(encoderPath, EncoderMethod.MethodName);
            var e = opened.Load(CPU);
            row("encoder E(x)", "1", "–", Time(() => EncoderInversion.Invert(g, opened.Architecture, e, truth, options, phi).Reconstructions));
            row($"hybrid (E(x) + {options.Steps} steps)", "1", "–", Time(() => EncoderInversion.Hybrid(g, opened.Architecture, e, truth, options, phi).Reconstructions));
            if (g.PaddingHooks.Count > 0)
            {
                if (padinvPath.Length == 0)
                {
                    var po = new PadInvOptions();
                    using var method = new PadInvMethod(g, GanCheckpoint.Open(generatorPath).LoadDiscriminator(CPU), PadInvArchitecture.For(g, LatentSpace.WPlus, po, generatorPath), po, phi, CPU, 0);
                    padinvPath = Train(method);
                }
                var pe = PadInvInversion.Load(padinvPath, CPU);
                row("PadInv encoder (code + padding)", "1", "–", Time(() => PadInvInversion.Invert(g, pe, truth, images).Reconstructions));
            }
            else Console.WriteLine("| PadInv | – | – | n/a: the generator has no padded convolutions (DCGAN) | | | |");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Encoders trained for {steps} steps (batch 32) on {data.Name} unless given; s / image excludes training."));
            Console.WriteLine();
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }

        static (Tensor Images, double Seconds) Time(Func<Tensor> run)
        {
            var sw = Stopwatch.StartNew();
            var result = run();
            return (result.clamp(-1, 1), sw.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Training images the colorize and denoise baselines are fitted on, at most (spread over the set).</summary>
    const int BaselineTrainingImages = 2048;

    /// <summary>The training split of a held-out or test spec (<c>emoji:twitter:heldout</c> → <c>emoji:twitter:train</c>, <c>fashion-mnist:test</c> → <c>fashion-mnist:train</c>); null when it has none.</summary>
    static string? TrainingCounterpart(string data)
    {
        if (data.StartsWith(DatasetResolver.BundledPrefix, StringComparison.OrdinalIgnoreCase) || !DatasetSpec.TryParse(data, out var spec, out _)) return null;
        return spec!.Kind is DatasetKind.FashionMnist or DatasetKind.Emoji && spec.Split == DatasetSplit.Test ? (spec with { Split = DatasetSplit.Train }).ToString() : null;
    }

    static string DisplayName(IDegradation op) => op switch
    {
        InpaintDegradation => "hole at 0",
        DownsampleDegradation => "nearest",
        DenoiseDegradation => "noisy",
        GrayscaleDegradation => "gray",
        _ => op.Name,
    };

    static (string Name, IDegradation Op) Task(string name, ImageShape shape) => name switch
    {
        "inpaint" => ("inpaint (centre box, half the side)", Degradations.Create(RestorationTask.Inpaint, shape)),
        "sr2" => ("super-resolution ×2", Degradations.Create(RestorationTask.SuperResolution, shape, scale: 2)),
        "sr4" => ("super-resolution ×4", Degradations.Create(RestorationTask.SuperResolution, shape, scale: 4)),
        "denoise" => (string.Create(CultureInfo.InvariantCulture, $"denoise (σ = {DenoiseDegradation.DefaultSigma})"), Degradations.Create(RestorationTask.Denoise, shape)),
        "colorize" => ("colorize", Degradations.Create(RestorationTask.Colorize, shape)),
        _ => throw new GanSharpException($"--tasks {name}: use inpaint, sr2, sr4, denoise or colorize"),
    };

    /// <summary>φ: <c>none</c>, a feature network folder, or <c>auto</c> (the bundled one when its channels match the generator's).</summary>
    static IPerceptualFeatures? LoadFeatures(string value, string assets, IGenerator g)
    {
        if (value == "none") return null;
        string folder = value == "auto" ? Path.Combine(assets, "checkpoints", "features-fashion-mnist") : value;
        if (value == "auto" && !Directory.Exists(folder)) return null;
        var net = FeatureNetwork.Load(folder, CPU);
        if (net.Config.Channels != g.Output.Channels)
        {
            if (value == "auto") return null;
            throw new GanSharpException($"--features {value}: {net.Config.Channels}-channel network for a {g.Output.Channels}-channel generator");
        }
        return new FeatureNetworkPerceptual(net);
    }
}
