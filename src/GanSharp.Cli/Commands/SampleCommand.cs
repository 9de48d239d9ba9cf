using System.CommandLine;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp sample</c>: grids, interpolations, truncation sweeps and style-mixing sheets from a GAN checkpoint.</summary>
public static class SampleCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("sample", "Write sample grids from a GAN checkpoint: random samples, latent interpolation, truncation sweep");
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "A checkpoint folder, a run folder, or latest", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "Output PNG (default: the run folder's samples/sample-MODE-seedS.png when the checkpoint is in a run folder; required otherwise)" };
        var count = new Option<int>("--count", "-n") { Description = "Images (rows for interpolation/sweeps)", DefaultValueFactory = _ => 64 };
        var seed = new Option<long>("--seed") { Description = "Seed of the latents (same seed, same images)", DefaultValueFactory = _ => 0 };
        var truncation = new Option<double>("--truncation") { Description = "Truncation psi (1 = none)", DefaultValueFactory = _ => 1.0 };
        var mode = new Option<string>("--mode") { Description = "grid, interpolate, truncation or mixing (style mixing, StyleGAN)", DefaultValueFactory = _ => "grid" };
        var crossover = new Option<int?>("--crossover") { Description = "Style mixing: style inputs taken from the row image (coarse styles; default half)" };
        var stepsOpt = new Option<int>("--steps") { Description = "Columns of an interpolation or truncation sweep", DefaultValueFactory = _ => 8 };
        var raw = new Option<bool>("--raw") { Description = "Use the raw generator instead of its EMA copy" };
        var latents = new Option<string?>("--latents") { Description = "Render the codes of a latent file written by gansharp invert (latents.json) instead of random ones" };
        foreach (var o in new Option[] { checkpoint, output, count, seed, truncation, mode, stepsOpt, raw, crossover, latents }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var device = compute.Apply(parse);
            int n = parse.GetValue(count), columns = parse.GetValue(stepsOpt);
            if (n < 1 || columns < 2) throw new GanSharpException("--count must be at least 1 and --steps at least 2");
            string requested = parse.GetValue(mode)!.ToLowerInvariant();
            long cells = requested switch { "interpolate" or "truncation" => (long)n * columns, "mixing" => (Math.Min(n, 8) + 1L) * (columns + 1), _ => n };
            if (cells > MaxImages)
                throw new GanSharpException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"--mode {requested} with --count {n}{(requested == "grid" ? "" : $" and --steps {columns}")} asks for {cells:N0} images in one PNG; at most {MaxImages:N0}"),
                    "sample in several runs with different --seed values");
            var g = GanCheckpoint.LoadGenerator(parse.GetValue(checkpoint)!, device, ema: !parse.GetValue(raw));
            using var scope = NewDisposeScope();
            // Every draw (latents and StyleGAN's per-layer noise) comes from this stream, never torch's global one, so the
            // same seed gives the same images even while something else in the process draws random numbers.
            using var rng = new Generator((ulong)parse.GetValue(seed));
            using var _ = no_grad();
            string m = parse.GetValue(mode)!.ToLowerInvariant();
            if (parse.GetValue(latents) is { } latentPath)
            {
                var (info, tensors) = LatentFile.Read(latentPath);
                var rendered = LatentFile.Render(g, info, tensors, g.SampleNoise(1, rng, device)).cpu().clamp(-1, 1);
                var file = OutputPath(parse.GetValue(output), parse.GetValue(checkpoint)!, $"latents-{Path.GetFileNameWithoutExtension(latentPath)}.png");
                SampleGrid.WritePng(rendered, file, new GridOptions(Columns: Math.Min(8, info.Images.Count), Captions: info.Images, Title: $"{info.Method} codes ({info.Space}) from {Path.GetFileName(latentPath)}"));
                ctx.Output.WriteLine($"wrote {file} ({info.Images.Count} image(s))");
                return ExitCodes.Ok;
            }
            var (images, gridColumns, title) = m switch
            {
                "grid" => (g.Sample(n, rng, device, parse.GetValue(truncation)), (int?)null, $"seed {parse.GetValue(seed)}"),
                "interpolate" => (SampleSheets.Interpolate(g, n, columns, rng, device, parse.GetValue(truncation)), columns, "latent interpolation (slerp in z)"),
                "truncation" => (SampleSheets.TruncationSweep(g, n, columns, rng, device), columns, "truncation psi 1 → 0 (left to right)"),
                "mixing" => (SampleSheets.StyleMixing(g, Math.Min(n, 8), columns, parse.GetValue(crossover) ?? g.StyleCount / 2, rng, device, parse.GetValue(truncation)),
                    columns + 1, $"style mixing: first {parse.GetValue(crossover) ?? g.StyleCount / 2} of {g.StyleCount} styles from the row image, the rest from the column image"),
                _ => throw new GanSharpException($"--mode {m}: use grid, interpolate, truncation or mixing"),
            };
            var path = OutputPath(parse.GetValue(output), parse.GetValue(checkpoint)!, $"sample-{m}-seed{parse.GetValue(seed)}.png");
            SampleGrid.WritePng(images.cpu(), path, new GridOptions(Columns: gridColumns, Title: title));
            ctx.Output.WriteLine($"wrote {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// <paramref name="given"/>, or <paramref name="name"/> in the samples folder of the run that holds
    /// <paramref name="checkpoint"/>; a checkpoint outside a run folder (a bundled or exported one) needs <c>-o</c>, so
    /// that nothing is written into the current folder or next to bundled assets unasked.
    /// </summary>
    static string OutputPath(string? given, string checkpoint, string name)
    {
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var run = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint).RunFolderPath
            ?? throw new GanSharpException($"{checkpoint} is not in a run folder, so there is no samples/ folder to write into",
                "pass -o FILE.png");
        var folder = Path.Combine(run, "samples");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    /// <summary>The most images one sample sheet may hold (checked before anything is generated).</summary>
    public const int MaxImages = 4096;
}
