using System.CommandLine;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp invert</c>: finds codes of a GAN checkpoint that reproduce given images (one code per image, or mGANprior)
/// and writes the reconstructions, the codes (<see cref="LatentFile"/>) and a side-by-side PNG.
/// </summary>
public static class InvertCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("invert", "Invert images into a GAN checkpoint's latent space (optimisation, single code or mGANprior)");
        var images = new Option<string>("--images", "-i") { Description = "An image file or a folder of images", Required = true };
        cmd.Options.Add(images);
        var o = InversionCliOptions.AddTo(cmd);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            string generatorPath = parse.GetValue(o.Generator)!;
            var g = GanCheckpoint.Open(generatorPath).LoadGenerator(device);
            var (method, options, multi) = o.Read(parse, g);
            var (x, names) = InversionCliOptions.ReadImages(parse.GetValue(images)!, g.Output, parse.GetValue(o.Resize), "--images");
            var phi = o.ReadPerceptual(parse, g, device, ctx.Output);
            var outDir = parse.GetValue(o.Output)!;
            Directory.CreateDirectory(outDir);
            using var scope = NewDisposeScope();
            var progress = InversionCliOptions.Lines(ctx.Output, "invert");
            var result = GanRestoration.Restore(g, x.to(device), null, method, options, multi, phi, null, progress, cancel);
            var recon = result.Restored.cpu();
            InversionCliOptions.WriteEach(recon, names, Path.Combine(outDir, "reconstructions"));

            Tensor codes = result.Single?.Codes ?? result.Multi!.Codes;
            var tensors = new Dictionary<string, Tensor> { ["codes"] = codes };
            if (result.Multi is not null) tensors["alphas"] = result.Multi.Alphas;
            var info = new LatentFileInfo(LatentFile.FormatName, 1, options.Space.Name(), method.Name(), codes.shape, result.Multi?.Layer,
                Path.GetFullPath(generatorPath), names, new Dictionary<string, string>());
            var latents = LatentFile.Write(Path.Combine(outDir, "latents.json"), info, tensors);

            var psnr = ImageQuality.Psnr(recon, x).data<float>().ToArray();
            var captions = names.SelectMany((n, i) => new[] { n, string.Create(CultureInfo.InvariantCulture, $"{psnr[i]:0.0} dB") }).ToList();
            var pairs = stack(new[] { x, recon.clamp(-1, 1) }, 1).flatten(0, 1); // [2N, C, H, W]: input, reconstruction
            var comparison = Path.Combine(outDir, "comparison.png");
            SampleGrid.WritePng(pairs, comparison, new GridOptions(Columns: Math.Min(8, 2 * names.Count), Scale: InversionCliOptions.GridScale(g.Output),
                Captions: captions, Title: $"invert ({method.Name()}, {options.Space.Name()}, {options.Steps} steps): input | reconstruction"));
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inverted {names.Count} image(s); mean PSNR {psnr.Average():0.00} dB"));
            ctx.Output.WriteLine($"wrote {Path.Combine(outDir, "reconstructions")}/, {latents}, {comparison}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
