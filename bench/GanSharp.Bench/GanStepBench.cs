using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Time of one GAN training step (one D update + one G update through <see cref="GanMethod.TrainStep"/>, Adam) on one
/// fixed batch of real Fashion-MNIST or emoji images, for each convolution path: safe (oneDNN off), oneDNN on without
/// channel padding (wrong gradients here; for reference only) and the verified fast path (or why it was rejected).
/// Prints one Markdown row per path; <c>--csv</c> prints machine-readable rows for bench/pytorch-side-by-side.sh.
/// </summary>
public static class GanStepBench
{
    /// <summary>Options: <c>--arch dcgan|stylegan --size 28 --channels 1 --width 32 --latent 64 --batch 64 --steps 10 --loss ns --paths safe,onednn,fast --device cpu|cuda</c> (on cuda one row: the device).</summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int Int(string name, int fallback) => opt.Int(name, fallback);
        var gan = opt.Gan();
        var (arch, size, channels, width, latent) = gan;
        int batch = Int("--batch", 64), steps = Int("--steps", 10);
        var loss = Arg("--loss", "ns") switch { "wgan-gp" => AdversarialLoss.WganGp, "hinge" => AdversarialLoss.Hinge, _ => AdversarialLoss.NonSaturating };
        double r1 = double.Parse(Arg("--r1", "0"), CultureInfo.InvariantCulture);
        var report0 = TorchRuntime.EnsureInitialized();
        var device = TorchRuntime.ResolveDevice(Arg("--device", "cpu"));
        // On an accelerator the convolution-path switches (CPU-only) do not apply: one row, named after the device.
        var paths = device.type == DeviceType.CPU ? Arg("--paths", "safe,onednn,fast").Split(',') : new[] { device.ToString() };
        bool csv = args.Contains("--csv");
        var report = report0;
        var architecture = gan.Architecture(loss);
        // Real images only feed D; the timing does not depend on them. Installed data when present, else the bundled samples, tiled to the batch.
        IImageDataset data = channels == 1 && size == 28 && FashionMnist.IsAvailable()
            ? FashionMnist.Load()
            : channels == 3 && EmojiFetcher.IsCached(EmojiStyle.Google)
                ? DatasetResolver.Resolve("emoji:google", new DatasetResolveOptions(size, Imaging.ImageMode.Rgb))
                : DatasetResolver.Resolve(channels == 1 ? "bundled:fashion-mnist" : "bundled:emoji:google", new DatasetResolveOptions(size,
                    channels == 1 ? Imaging.ImageMode.Gray : Imaging.ImageMode.Rgb, BundledRoot: Path.Combine(Arg("--assets", Environment.GetEnvironmentVariable("GANSHARP_ASSETS") ?? "assets"), "samples")));
        var tiled = data.Count >= batch ? data : new Subset(data, Enumerable.Range(0, batch).Select(i => i % data.Count).ToArray());
        using var loader = new DataLoader(tiled, new DataLoaderOptions(batch, Seed: 1, DropLast: true));
        using var fixedBatch = loader.Next();
        if (!csv)
        {
            Console.WriteLine($"{arch} {size}x{size}x{channels} width {width} z {latent}, {loss}{(r1 > 0 ? $" + R1 {r1}" : "")}, batch {batch}, threads {get_num_threads()}, median of {steps} steps after 2 warm-up steps");
            Console.WriteLine();
            Console.WriteLine("| convolution path | s/step | steps/s | note |");
            Console.WriteLine("|---|---|---|---|");
        }
        foreach (var path in paths)
        {
            string note = "";
            switch (device.type == DeviceType.CPU ? path : "device")
            {
                case "device":
                    note = $"{device}, TF32 {(backends.cudnn.allow_tf32 ? "allowed" : "off")} for convolutions";
                    break;
                case "safe":
                    TorchRuntime.UseSafeConvolutions();
                    note = "oneDNN off (the numerics check's choice here)";
                    break;
                case "onednn":
                    TorchRuntime.UseSafeConvolutions();
                    LibTorchSwitches.MkldnnEnabled = true;
                    note = report.MkldnnEnabled ? "oneDNN on (correct here)" : "oneDNN on, no padding: gradients WRONG here, reference only";
                    break;
                case "fast":
                    double? error = TorchRuntime.TryFastConvolutions(() => architecture.NumericsError(batch, CPU), $"{arch} at batch {batch}");
                    if (!TorchRuntime.FastConvolutions)
                    {
                        Emit(path, double.NaN, error is null ? "not tried (oneDNN already on or unavailable)" : $"rejected by the float64 check (relative error {error:0.0e0})");
                        continue;
                    }
                    note = $"verified against float64 (worst relative error {error:0.0e0})";
                    break;
                default:
                    throw new ArgumentException($"unknown path {path}");
            }
            manual_seed(1);
            using var method = architecture.CreateMethod(new GanOptions(loss, R1Gamma: r1).Validate(), device);
            var ctx = new StepContext(device, new Generator(1));
            var times = new List<double>();
            for (int s = 0; s < steps + 2; s++)
            {
                ctx.Step = s;
                var sw = Stopwatch.StartNew();
                method.TrainStep(fixedBatch, ctx);
                if (s >= 2) times.Add(sw.Elapsed.TotalSeconds);
            }
            times.Sort();
            Emit(path, times[times.Count / 2], note);
            if (device.type == DeviceType.CPU) LibTorchSwitches.MkldnnEnabled = report.MkldnnEnabled;
        }
        if (device.type == DeviceType.CPU) TorchRuntime.UseSafeConvolutions();
        return 0;

        void Emit(string path, double seconds, string note)
        {
            if (csv) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gansharp,{path},{seconds:0.0000}"));
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {path} | {(double.IsNaN(seconds) ? "–" : seconds.ToString("0.000", CultureInfo.InvariantCulture))} | {(double.IsNaN(seconds) ? "–" : (1 / seconds).ToString("0.00", CultureInfo.InvariantCulture))} | {note} |"));
        }
    }
}
