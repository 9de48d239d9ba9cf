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
/// CPU-versus-accelerator agreement of GanSharp's GAN training step: the same architecture built from the same seed on
/// both devices, the same batch and the same CPU-drawn latents (GanSharp's one rule for seeded draws), TF32 off. Prints
/// the relative difference of the first step's losses and the worst relative difference over every parameter's
/// gradient, then how far the weights drift apart over <c>--steps</c> steps (relative L2 distance per network).
/// Generators with unseeded per-layer noise (StyleGAN) draw that noise on each device, so use DCGAN for the strict check.
/// </summary>
public static class DeviceAgreementBench
{
    /// <summary>Options: <c>--device cuda</c> (the device compared with the CPU; <c>cpu</c> compares the CPU with itself),
    /// <c>--arch dcgan --size 28 --channels 1 --width 32 --latent 64 --batch 64 --loss ns|wgan-gp --steps 100</c>.</summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int Int(string name, int fallback) => opt.Int(name, fallback);
        var gan = opt.Gan();
        var (arch, size, channels, width, latent) = gan;
        int batch = Int("--batch", 64), steps = Int("--steps", 100);
        var loss = Arg("--loss", "ns") == "wgan-gp" ? AdversarialLoss.WganGp : AdversarialLoss.NonSaturating;
        TorchRuntime.EnsureInitialized();
        var device = TorchRuntime.ResolveDevice(Arg("--device", "cuda"));
        if (device.type == DeviceType.CUDA)
        {
            backends.cuda.matmul.allow_tf32 = false;
            backends.cudnn.allow_tf32 = false;
        }
        var architecture = gan.Architecture(loss);
        IImageDataset data = DatasetResolver.Resolve(channels == 1 ? "bundled:fashion-mnist" : "bundled:emoji:google",
            new DatasetResolveOptions(size, channels == 1 ? Imaging.ImageMode.Gray : Imaging.ImageMode.Rgb, BundledRoot: Path.Combine(Arg("--assets", "assets"), "samples")));
        using var loader = new DataLoader(data, new DataLoaderOptions(Math.Min(batch, data.Count), Seed: 1, DropLast: true));
        using var fixedBatch = loader.Next();

        GanMethod Build(Device d) { manual_seed(1); return (GanMethod)architecture.CreateMethod(new GanOptions(loss).Validate(), d); }
        using var onCpu = Build(CPU);
        using var onDevice = Build(device);
        var ctxCpu = new StepContext(CPU, new Generator(1));
        var ctxDev = new StepContext(device, new Generator(1));
        var sCpu = onCpu.TrainStep(fixedBatch, ctxCpu);
        var sDev = onDevice.TrainStep(fixedBatch, ctxDev);
        Console.WriteLine($"{arch} {size}x{size}x{channels} width {width}, {loss}, batch {fixedBatch.Images.shape[0]}: CPU vs {device} (TF32 off)");
        Console.WriteLine();
        Console.WriteLine("| quantity | worst relative difference |");
        Console.WriteLine("|---|---|");
        foreach (var key in sCpu.Keys.Where(sDev.ContainsKey))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first step {key} ({sCpu[key]:G5}) | {Math.Abs(sCpu[key] - sDev[key]) / Math.Max(1e-12, Math.Abs(sCpu[key])):0.0e0} |"));
        foreach (var (name, module) in onCpu.Networks)
        {
            var other = onDevice.Networks[name].named_parameters().ToDictionary(p => p.name, p => p.parameter);
            double worst = 0;
            foreach (var (pname, p) in module.named_parameters())
            {
                if (p.grad is null || other[pname].grad is not { } g) continue;
                var a = p.grad.to(float64);
                var b = g.cpu().to(float64);
                worst = Math.Max(worst, (a - b).norm().item<double>() / Math.Max(1e-30, a.norm().item<double>()));
            }
            if (worst > 0 || name != "generator_ema")
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first step gradients of {name} (‖Δ‖/‖g‖, worst tensor) | {worst:0.0e0} |"));
        }
        for (int s = 1; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            ctxCpu.Step = s; ctxDev.Step = s;
            onCpu.TrainStep(fixedBatch, ctxCpu);
            onDevice.TrainStep(fixedBatch, ctxDev);
        }
        foreach (var (name, module) in onCpu.Networks)
        {
            var a = cat(module.parameters().Select(p => p.detach().flatten().to(float64)).ToArray());
            var b = cat(onDevice.Networks[name].parameters().Select(p => p.detach().cpu().flatten().to(float64)).ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| weights of {name} after {steps} steps (‖Δ‖/‖w‖) | {(a - b).norm().item<double>() / a.norm().item<double>():0.0e0} |"));
        }
        return 0;
    }
}
