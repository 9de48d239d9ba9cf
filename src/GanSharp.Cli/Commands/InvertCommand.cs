using System.CommandLine;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Methods.Inversion.PadInv;
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
        var cmd = new Command("invert", "Invert images into a GAN checkpoint's latent space: optimisation (single code or mGANprior), an encoder, hybrid (encoder start + optimisation) or PadInv (encoder + padding space)");
        var images = new Option<string>("--images", "-i") { Description = "An image file or a folder of images", Required = true };
        var encoder = new Option<string?>("--encoder") { Description = "Encoder checkpoint for --method encoder or hybrid (gansharp train encoder) or padinv (gansharp train padinv)" };
        cmd.Options.Add(images);
        cmd.Options.Add(encoder);
        var o = InversionCliOptions.AddTo(cmd);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            string generatorPath = parse.GetValue(o.Generator)!;
            var g = GanCheckpoint.Open(generatorPath).LoadGenerator(device);
            string methodName = parse.GetValue(o.Method)!.Trim().ToLowerInvariant();
            bool encoderBased = methodName is "encoder" or "hybrid" or "padinv";
            var shard = ShardOption.Read(parse, o.Shard);
            var (x, names) = InversionCliOptions.ReadImages(parse.GetValue(images)!, g.Output, parse.GetValue(o.Resize), "--images", shard);
            var phi = o.ReadPerceptual(parse, g, device, ctx.Output);
            var outDir = parse.GetValue(o.Output)!;
            Directory.CreateDirectory(outDir);
            using var scope = NewDisposeScope();
            var progress = InversionCliOptions.Lines(ctx.Output, "invert");
            Tensor recon, codes;
            Tensor? alphas = null;
            var extra = new Dictionary<string, Tensor>();
            int? layer = null;
            InversionOptions options;
            string? encoderPath = parse.GetValue(encoder);
            if (encoderBased && encoderPath is null)
                throw new GanSharpException($"--method {methodName} needs --encoder CKPT", $"train one with gansharp train {(methodName == "padinv" ? "padinv" : "encoder")} --generator {generatorPath}");
            if (methodName == "padinv")
            {
                var pe = PadInvInversion.Load(encoderPath!, device);
                pe.Arch.CheckGenerator(g, $"--encoder {encoderPath}");
                options = o.ReadOptions(parse) with { Space = pe.Arch.Encoder.LatentSpace };
                var pr = PadInvInversion.Invert(g, pe, x.to(device), options.BatchSize, options.Seed);
                (recon, codes) = (pr.Reconstructions.cpu(), pr.Codes);
                for (int i = 0; i < pr.Coefficients.Count; i++) extra[$"padding{i}"] = pr.Coefficients[i];
            }
            else if (encoderBased)
            {
                var opened = EncoderCheckpoint.Open(encoderPath!, EncoderMethod.MethodName);
                opened.Architecture.CheckGenerator(g, $"--encoder {encoderPath}");
                var e = opened.Load(device);
                options = o.ReadOptions(parse) with { Space = opened.Architecture.LatentSpace };
                var r = methodName == "encoder"
                    ? EncoderInversion.Invert(g, opened.Architecture, e, x.to(device), options, phi)
                    : EncoderInversion.Hybrid(g, opened.Architecture, e, x.to(device), options, phi, progress, cancel);
                (recon, codes) = (r.Reconstructions.cpu(), r.Codes);
            }
            else
            {
                if (encoderPath is not null) throw new GanSharpException("--encoder is only used with --method encoder, hybrid or padinv");
                (var method, options, var multi) = o.Read(parse, g);
                if (method == PriorMethod.Single)
                {
                    var r = GanInversion.Invert(g, x.to(device), options, perceptual: phi, progress: progress, cancel: cancel);
                    (recon, codes) = (r.Reconstructions.cpu(), r.Codes);
                }
                else
                {
                    var m = MultiCodeInversion.Invert(g, x.to(device), options, multi, perceptual: phi, progress: progress, cancel: cancel);
                    (recon, codes, alphas, layer) = (m.Reconstructions.cpu(), m.Codes, m.Alphas, m.Layer);
                }
                methodName = method.Name();
            }
            InversionCliOptions.WriteEach(recon, names, Path.Combine(outDir, "reconstructions"));

            var tensors = new Dictionary<string, Tensor>(extra) { ["codes"] = codes };
            if (alphas is not null) tensors["alphas"] = alphas;
            var info = new LatentFileInfo(LatentFile.FormatName, 1, options.Space.Name(), methodName, codes.shape, layer,
                Path.GetFullPath(generatorPath), names, new Dictionary<string, string>());
            var latents = LatentFile.Write(Path.Combine(outDir, $"latents{shard.Suffix}.json"), info, tensors);

            var psnr = ImageQuality.Psnr(recon, x).data<float>().ToArray();
            var captions = names.SelectMany((n, i) => new[] { n, string.Create(CultureInfo.InvariantCulture, $"{psnr[i]:0.0} dB") }).ToList();
            var pairs = stack(new[] { x, recon.clamp(-1, 1) }, 1).flatten(0, 1); // [2N, C, H, W]: input, reconstruction
            var comparison = Path.Combine(outDir, $"comparison{shard.Suffix}.png");
            SampleGrid.WritePng(pairs, comparison, new GridOptions(Columns: Math.Min(8, 2 * names.Count), Scale: InversionCliOptions.GridScale(g.Output),
                Captions: captions, Title: $"invert ({methodName}, {options.Space.Name()}{(methodName == "encoder" ? "" : $", {options.Steps} steps")}): input | reconstruction"));
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inverted {names.Count} image(s); mean PSNR {psnr.Average():0.00} dB"));
            ctx.Output.WriteLine($"wrote {Path.Combine(outDir, "reconstructions")}/, {latents}, {comparison}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
