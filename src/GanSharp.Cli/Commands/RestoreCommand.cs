using System.CommandLine;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp restore</c>: inpainting, super-resolution, colorization or denoising with a GAN prior (single code or
/// mGANprior). By default the inputs are clean images and the tool synthesises the degradation (so the comparison shows
/// the truth); with <c>--observed</c> the inputs are already degraded.
/// </summary>
public static class RestoreCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("restore", "Restore images with a GAN prior: inpaint, sr (super-resolution), colorize or denoise");
        var task = new Option<string>("--task") { Description = "inpaint, sr, colorize or denoise", Required = true };
        var image = new Option<string>("--image", "-i") { Description = "An image file or a folder of images", Required = true };
        var mask = new Option<string?>("--mask") { Description = "Inpainting mask PNG (white = known pixel); default: a centred box over half the side" };
        var scale = new Option<int>("--scale") { Description = "Super-resolution factor: 2 or 4", DefaultValueFactory = _ => 4 };
        var sigma = new Option<double>("--sigma") { Description = "Denoise: noise level added to clean inputs, in [-1, 1] units", DefaultValueFactory = _ => DenoiseDegradation.DefaultSigma };
        var observed = new Option<bool>("--observed") { Description = "The inputs are already degraded (low-resolution, gray, noisy, or with holes given by --mask)" };
        foreach (var opt in new Option[] { task, image, mask, scale, sigma, observed }) cmd.Options.Add(opt);
        // mGANprior by default: one DCGAN code reconstructs held-out Fashion-MNIST at about 20 dB, below the 21.7 dB of the
        // σ = 0.2 noisy input, so a single code cannot denoise it; 10 codes reach 24 dB (bench inversion, bench/README.md).
        var o = InversionCliOptions.AddTo(cmd, defaultMethod: "mganprior");
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var t = Degradations.ParseTask(parse.GetValue(task)!);
            var g = GanCheckpoint.Open(parse.GetValue(o.Generator)!).LoadGenerator(device);
            var (method, options, multi) = o.Read(parse, g);
            Tensor? maskTensor = null;
            if (parse.GetValue(mask) is { } maskPath)
            {
                if (t != RestorationTask.Inpaint) throw new GanSharpException("--mask is only used with --task inpaint");
                if (!File.Exists(maskPath)) throw new GanSharpException($"--mask {maskPath}: file not found");
                maskTensor = MaskReader.Read(maskPath, new MaskOptions(Width: g.Output.Width, Height: g.Output.Height));
            }
            if (parse.GetValue(observed) && t == RestorationTask.Inpaint && maskTensor is null)
                throw new GanSharpException("--observed inpainting needs --mask (which pixels of the inputs are known)");
            var degradation = Degradations.Create(t, g.Output, maskTensor, parse.GetValue(scale), parse.GetValue(sigma));
            bool synthesise = !parse.GetValue(observed);
            var readShape = synthesise ? g.Output : degradation.ObservedShape(g.Output);
            var (inputs, names) = InversionCliOptions.ReadImages(parse.GetValue(image)!, readShape, parse.GetValue(o.Resize), "--image");
            var phi = o.ReadPerceptual(parse, g, device, ctx.Output);
            using var scope = NewDisposeScope();
            using var rng = new Generator(parse.GetValue(o.Seed));
            var y = synthesise ? degradation.Observe(inputs, rng) : inputs; // [N, C', H', W']
            var result = GanRestoration.Restore(g, y.to(device), degradation, method, options, multi, phi, null,
                InversionCliOptions.Lines(ctx.Output, "restore"), cancel);
            var restored = result.Restored.cpu().clamp(-1, 1);
            var outDir = parse.GetValue(o.Output)!;
            InversionCliOptions.WriteEach(restored, names, Path.Combine(outDir, "restored"));

            var shown = degradation.Display(y, g.Output);
            var columns = synthesise ? new[] { shown, restored, inputs } : new[] { shown, restored };
            var captions = new List<string>();
            for (int i = 0; i < names.Count; i++)
            {
                captions.Add(names[i]);
                if (synthesise)
                {
                    captions.Add(Db(ImageQuality.Psnr(restored[i..(i + 1)], inputs[i..(i + 1)])));
                    captions.Add("truth");
                }
                else captions.Add("restored");
            }
            var comparison = Path.Combine(outDir, "comparison.png");
            string header = synthesise ? "degraded | restored (PSNR to truth) | truth" : "input | restored";
            SampleGrid.WritePng(stack(columns, 1).flatten(0, 1), comparison, new GridOptions(Columns: columns.Length, Scale: InversionCliOptions.GridScale(g.Output),
                Captions: captions, Title: $"{degradation.Name} ({method.Name()}): {header}"));
            if (synthesise)
                ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{degradation.Name}: mean PSNR to truth {ImageQuality.MeanPsnr(restored, inputs):0.00} dB restored vs {ImageQuality.MeanPsnr(shown, inputs):0.00} dB degraded"));
            ctx.Output.WriteLine($"wrote {Path.Combine(outDir, "restored")}/, {comparison}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    static string Db(Tensor psnr) => string.Create(CultureInfo.InvariantCulture, $"{psnr.item<float>():0.0} dB");
}
