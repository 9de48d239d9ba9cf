using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Inversion and restoration quality of the bundled DCGAN Fashion-MNIST generator on held-out Fashion-MNIST test images
/// (the generator was trained on the training split): PSNR, SSIM, the LPIPS-style distance in the bundled feature
/// network's space (no learned weights; not comparable to published LPIPS) and seconds per image, for single-code
/// inversion, mGANprior over N codes and composition layers, and each restoration task. DCGAN has no mapping network,
/// so w = z: the single-code row covers z, w and (with StyleCount 1) w+.
/// </summary>
public static class InversionBench
{
    /// <summary>
    /// Runs the benchmark. Options: <c>--images N</c> (16), <c>--steps S</c> (100), <c>--codes 1,5,10,20,30</c>,
    /// <c>--layers 0,1,2</c>, <c>--lr</c> (0.1), <c>--threads T</c> (0 = libtorch default), <c>--assets PATH</c> (default: ./assets),
    /// <c>--data SPEC</c> (fashion-mnist:test).
    /// </summary>
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int images = int.Parse(Arg("--images", "16"), CultureInfo.InvariantCulture);
        int steps = int.Parse(Arg("--steps", "100"), CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg("--threads", "0"), CultureInfo.InvariantCulture);
        double lr = double.Parse(Arg("--lr", "0.1"), CultureInfo.InvariantCulture);
        var codes = Arg("--codes", "1,5,10,20,30").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var layers = Arg("--layers", "0,1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string assets = Arg("--assets", "assets");
        var report = TorchRuntime.EnsureInitialized();
        if (threads > 0) TorchRuntime.SetThreads(threads);

        var g = GanCheckpoint.Open(Path.Combine(assets, "checkpoints", "dcgan-fashion")).LoadGenerator(CPU);
        var net = FeatureNetwork.Load(Path.Combine(assets, "checkpoints", "features-fashion-mnist"), CPU);
        var phi = new FeatureNetworkPerceptual(net);
        var data = DatasetResolver.Resolve(Arg("--data", "fashion-mnist:test"), new DatasetResolveOptions(28, Imaging.ImageMode.Gray)).Take(images);
        Tensor truth;
        using (var loader = new DataLoader(data, new DataLoaderOptions(BatchSize: images, Shuffle: false, Prefetch: 0)))
        using (var batch = loader.Next())
            truth = batch.Images.detach().clone(); // [N, 1, 28, 28]

        var options = new InversionOptions(LatentSpace.Z, Steps: steps, LearningRate: lr, PerceptualWeight: 1.0, BatchSize: images, Seed: 0);
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; {images} images of {data.Name} (held out: the generator was trained on the training split); " +
                          $"{steps} Adam steps, lr {lr} cosine, λ_perceptual 1, space z (DCGAN: w = z)");
        Console.WriteLine();
        Console.WriteLine("| method | codes N | layer ℓ | PSNR dB ↑ | SSIM ↑ | LPIPS-style ↓ | s / image |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row("single code (z = w)", "1", "–", Measure(() => GanRestoration.Restore(g, truth, null, PriorMethod.Single, options, null, phi).Restored));
        foreach (int layer in layers)
            foreach (int n in codes)
                Row("mGANprior", n.ToString(CultureInfo.InvariantCulture), layer.ToString(CultureInfo.InvariantCulture),
                    Measure(() => GanRestoration.Restore(g, truth, null, PriorMethod.MultiCode, options, new MultiCodeOptions(n, layer), phi).Restored));
        Console.WriteLine();

        Console.WriteLine("| task | method | PSNR dB degraded → restored ↑ | SSIM restored ↑ | LPIPS-style restored ↓ | s / image |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var tasks = new (string Name, IDegradation Op)[]
        {
            ("inpaint (centre box, half the side)", Degradations.Create(RestorationTask.Inpaint, g.Output)),
            ("super-resolution ×2", Degradations.Create(RestorationTask.SuperResolution, g.Output, scale: 2)),
            ("super-resolution ×4", Degradations.Create(RestorationTask.SuperResolution, g.Output, scale: 4)),
            ("denoise (σ = 0.2)", Degradations.Create(RestorationTask.Denoise, g.Output)),
        };
        var multi = new MultiCodeOptions(10, 1);
        foreach (var (name, op) in tasks)
        {
            var observed = op.Observe(truth, new Generator(7));
            double degradedPsnr = ImageQuality.MeanPsnr(op.Display(observed, g.Output), truth);
            foreach (var method in new[] { PriorMethod.Single, PriorMethod.MultiCode })
            {
                var (restored, seconds) = Measure(() => GanRestoration.Restore(g, observed, op, method, options, multi, phi).Restored);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {(method == PriorMethod.Single ? "single code" : "mGANprior N 10, ℓ 1")} | {degradedPsnr:0.00} → {ImageQuality.MeanPsnr(restored, truth):0.00} | " +
                    $"{ImageQuality.MeanSsim(restored, truth):0.000} | {Lpips(restored):0.000} | {seconds / images:0.00} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("colorization: not applicable (the generator is gray); LPIPS-style = Σ over the feature network's 3 stages of the spatial mean of " +
                          "Σ_c (unit-normalised feature difference)², no learned weights; degraded PSNR compares the nearest-upsampled / masked / noisy input.");
        return 0;

        (Tensor Images, double Seconds) Measure(Func<Tensor> run)
        {
            var sw = Stopwatch.StartNew();
            var result = run();
            return (result.clamp(-1, 1), sw.Elapsed.TotalSeconds);
        }

        double Lpips(Tensor restored)
        {
            using var _ = no_grad();
            return PerceptualLoss.Distance(phi, restored, truth).mean().item<float>();
        }

        void Row(string method, string n, string layer, (Tensor Images, double Seconds) r) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {method} | {n} | {layer} | {ImageQuality.MeanPsnr(r.Images, truth):0.00} | {ImageQuality.MeanSsim(r.Images, truth):0.000} | {Lpips(r.Images):0.000} | {r.Seconds / images:0.00} |"));
    }
}
