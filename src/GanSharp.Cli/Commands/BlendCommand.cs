using System.CommandLine;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion.PadInv;
using GanSharp.Methods.Synthesis.Gan;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp blend</c>: mixes two images through PadInv's padding space — image A's latent code with the padding
/// coefficients <c>(1 − t)·p_A + t·p_B</c> — and writes a grid (A, B, their reconstructions, then t = 0 … 1).
/// </summary>
public static class BlendCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("blend", "Blend two images through PadInv padding coefficients (A's code, padding mixed from A towards B)");
        var a = new Option<string>("--a") { Description = "Image A (its latent code is kept)", Required = true };
        var b = new Option<string>("--b") { Description = "Image B (its padding is mixed in)", Required = true };
        var generator = new Option<string>("--generator", "-g") { Description = "The StyleGAN checkpoint", Required = true };
        var encoder = new Option<string>("--encoder") { Description = "The PadInv checkpoint (gansharp train padinv)", Required = true };
        var steps = new Option<int>("--steps") { Description = "Mixing weights t from 0 to 1 (at least 2)", DefaultValueFactory = _ => 5 };
        var resize = new Option<bool>("--resize") { Description = "Resize images of another size instead of refusing them" };
        var output = new Option<string>("--out", "-o") { Description = "Output PNG", Required = true };
        foreach (var opt in new Option[] { a, b, generator, encoder, steps, resize, output }) cmd.Options.Add(opt);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            int count = parse.GetValue(steps);
            if (count < 2) throw new GanSharpException($"--steps {count}: must be at least 2");
            var g = GanCheckpoint.Open(parse.GetValue(generator)!).LoadGenerator(device);
            var e = PadInvInversion.Load(parse.GetValue(encoder)!, device);
            e.Arch.CheckGenerator(g, $"--encoder {parse.GetValue(encoder)}");
            var (imageA, _) = InversionCliOptions.ReadImages(parse.GetValue(a)!, g.Output, parse.GetValue(resize), "--a");
            var (imageB, _) = InversionCliOptions.ReadImages(parse.GetValue(b)!, g.Output, parse.GetValue(resize), "--b");
            if (imageA.shape[0] != 1 || imageB.shape[0] != 1) throw new GanSharpException("--a and --b must each be one image file");
            using var scope = NewDisposeScope();
            var weights = Enumerable.Range(0, count).Select(i => i / (double)(count - 1)).ToArray();
            var inverted = PadInvInversion.Invert(g, e, cat(new[] { imageA, imageB }).to(device));
            var blended = PadInvInversion.Blend(g, e, imageA.to(device), imageB.to(device), weights).cpu();
            var first = cat(new[] { imageA, imageB, inverted.Reconstructions.cpu() });                // [4, C, H, W]
            var row = cat(new[] { first, zeros(new long[] { Math.Max(0, count - 4) }.Concat(first.shape.Skip(1)).ToArray()) })[..Math.Max(4, count)];
            var grid = cat(new[] { row, cat(new[] { blended, zeros(new long[] { Math.Max(0, 4 - count) }.Concat(first.shape.Skip(1)).ToArray()) }) }).clamp(-1, 1);
            int columns = Math.Max(4, count);
            var captions = new List<string> { "A", "B", "G(E(A))", "G(E(B))" };
            captions.AddRange(Enumerable.Repeat("", columns - 4));
            captions.AddRange(weights.Select(t => string.Create(CultureInfo.InvariantCulture, $"t = {t:0.##}")));
            captions.AddRange(Enumerable.Repeat("", columns - count));
            var path = parse.GetValue(output)!;
            SampleGrid.WritePng(grid, path, new GridOptions(Columns: columns, Scale: Math.Max(3, InversionCliOptions.GridScale(g.Output)), Captions: captions,
                Title: "PadInv blend: A's code, padding (1 − t)·p_A + t·p_B"));
            ctx.Output.WriteLine($"wrote {path}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
