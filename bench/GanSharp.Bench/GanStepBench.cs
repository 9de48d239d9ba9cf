using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Platform;
using GanSharp.Training;
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
    /// <summary>Options: <c>--arch dcgan|stylegan --size 28 --channels 1 --width 32 --latent 64 --batch 64 --steps 10 --loss ns --paths safe,onednn,fast</c>.</summary>
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        string arch = Arg("--arch", "dcgan");
        int size = Int("--size", 28), channels = Int("--channels", 1), width = Int("--width", 32), latent = Int("--latent", 64);
        int batch = Int("--batch", 64), steps = Int("--steps", 10);
        var loss = Arg("--loss", "ns") switch { "wgan-gp" => AdversarialLoss.WganGp, "hinge" => AdversarialLoss.Hinge, _ => AdversarialLoss.NonSaturating };
        double r1 = double.Parse(Arg("--r1", "0"), CultureInfo.InvariantCulture);
        var paths = Arg("--paths", "safe,onednn,fast").Split(',');
        bool csv = args.Contains("--csv");
        var report = TorchRuntime.EnsureInitialized();
        var shape = new ImageShape(channels, size, size);
        var architecture = GanArchitecture.Default(arch, shape, loss, width, latent);
        IImageDataset data = channels == 1 && size == 28 && FashionMnist.IsAvailable()
            ? FashionMnist.Load()
            : DatasetResolver.Resolve(channels == 1 ? "fashion-mnist" : "emoji:google", new DatasetResolveOptions(size, channels == 1 ? Imaging.ImageMode.Gray : Imaging.ImageMode.Rgb));
        using var loader = new DataLoader(data, new DataLoaderOptions(batch, Seed: 1, DropLast: true));
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
            switch (path)
            {
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
            using var method = architecture.CreateMethod(new GanOptions(loss, R1Gamma: r1).Validate(), CPU);
            var ctx = new StepContext(CPU, new Generator(1));
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
            LibTorchSwitches.MkldnnEnabled = report.MkldnnEnabled;
        }
        TorchRuntime.UseSafeConvolutions();
        return 0;

        void Emit(string path, double seconds, string note)
        {
            if (csv) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gansharp,{path},{seconds:0.0000}"));
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {path} | {(double.IsNaN(seconds) ? "–" : seconds.ToString("0.000", CultureInfo.InvariantCulture))} | {(double.IsNaN(seconds) ? "–" : (1 / seconds).ToString("0.00", CultureInfo.InvariantCulture))} | {note} |"));
        }
    }
}
