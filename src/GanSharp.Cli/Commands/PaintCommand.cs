using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Models;
using GanSharp.Methods.Synthesis.Gan;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp paint</c>: GAN Paint on one image: invert it, fit the generator to it, set a concept's units inside a
/// painted mask (insert or remove) and paste the original back outside the mask. Writes reconstruction.png, edited.png,
/// mask.png and a side-by-side sheet.
/// </summary>
public static class PaintCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("paint", "Paint a concept into an image, or remove it, inside a mask (GAN Paint): reconstruction.png, edited.png, mask.png, sheet.png");
        var image = new Option<string>("--image") { Description = "The image to edit (one file)", Required = true };
        var maskOpt = new Option<string>("--mask") { Description = "Mask PNG: white (or opaque) = the region to edit", Required = true };
        var concept = new Option<string>("--concept") { Description = "A concept of the dissection (e.g. yellow, dark, red)", Required = true };
        var action = new Option<string>("--action") { Description = "insert or remove", DefaultValueFactory = _ => "insert" };
        var generator = new Option<string>("--generator", "-g") { Description = "Generator checkpoint (StyleGAN2 or DCGAN)", Required = true };
        var dissection = new Option<string?>("--dissection") { Description = "Dissection folder or dissection.json (default: CHECKPOINT/../../dissections/<name> for bundled checkpoints)" };
        var units = new Option<int>("--units") { Description = "How many of the concept's top units to set (ranked by their measured effect for the action when the dissection has it, else by IoU)", DefaultValueFactory = _ => 8 };
        var strength = new Option<double>("--strength") { Description = "Insert level as a multiple of the units' typical active level", DefaultValueFactory = _ => 1.0 };
        var quality = new Option<string>("--quality") { Description = "preview (the fit done once per image) or full (refit with the edit, slower)", DefaultValueFactory = _ => "full" };
        var features = new Option<string>("--features") { Description = "Perceptual features for the inversion: auto (bundled network of the right channels), none, or a feature network checkpoint", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Adam steps of the inversion (the feature refinement and the fits scale with it: 1/3, 2/3 and 1×)", DefaultValueFactory = _ => 300 };
        var resize = new Option<bool>("--resize") { Description = "Resize an image of another size instead of refusing it" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder", Required = true };
        foreach (var o in new Option[] { image, maskOpt, concept, action, generator, dissection, units, strength, quality, features, steps, resize, assets, output }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var act = parse.GetValue(action)!.ToLowerInvariant() switch
            {
                "insert" => PaintAction.Insert,
                "remove" => PaintAction.Remove,
                var other => throw new GanSharpException($"--action {other}: use insert or remove"),
            };
            bool full = parse.GetValue(quality)!.ToLowerInvariant() switch
            {
                "full" => true,
                "preview" => false,
                var other => throw new GanSharpException($"--quality {other}: use preview or full"),
            };
            var (g, d, phi) = LoadModel(parse.GetValue(generator)!, parse.GetValue(dissection), parse.GetValue(features)!, parse.GetValue(assets), device, ctx.Error);
            d.Concept(parse.GetValue(concept)!); // refuses an unknown concept with the known ones, before any work
            var (images, _) = InversionCliOptions.ReadImages(parse.GetValue(image)!, g.Output, parse.GetValue(resize), "--image");
            if (images.shape[0] != 1) throw new GanSharpException($"--image {parse.GetValue(image)}: give one image file");
            var mask = ReadMask(parse.GetValue(maskOpt)!, g.Output.Height, g.Output.Width, ctx.Error);

            var clock = Stopwatch.StartNew();
            int n = parse.GetValue(steps);
            if (n is < 1 or > 100_000) throw new GanSharpException($"--steps {n}: must be 1..100000");
            var options = new PaintOptions(Units: parse.GetValue(units), Strength: parse.GetValue(strength), InvertSteps: n, FeatureSteps: n / 3, FitSteps: 2 * n / 3, RenderSteps: n);
            using var session = EditSession.Fit(g, d, images, options, phi, new GanSharp.Diagnostics.SyncProgress<string>(s => ctx.Error.WriteLine("paint: " + s)), cancel);
            double fitSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using var result = full ? session.Render(mask, parse.GetValue(concept)!, act, cancel) : session.Preview(mask, parse.GetValue(concept)!, act, cancel);
            double editSeconds = clock.Elapsed.TotalSeconds;

            string outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            using var scope = NewDisposeScope();
            var reconstruction = session.Reconstruction().cpu().clamp(-1, 1);
            var edited = result.Edited.cpu().clamp(-1, 1);
            var maskImage = (mask * 2 - 1).expand(1, g.Output.Channels, -1, -1).cpu();
            ImageWriter.WritePng(reconstruction[0], Path.Combine(outDir, "reconstruction.png"));
            ImageWriter.WritePng(edited[0], Path.Combine(outDir, "edited.png"));
            ImageWriter.WritePng(maskImage[0], Path.Combine(outDir, "mask.png"));
            var sheet = cat(new[] { images.cpu(), maskImage, reconstruction, result.Rendered.cpu().clamp(-1, 1), edited });
            SampleGrid.WritePng(sheet, Path.Combine(outDir, "sheet.png"), new GridOptions(Columns: 5, Scale: Math.Max(2, InversionCliOptions.GridScale(g.Output)),
                Captions: new[] { "input", "mask", "reconstruction", "rendered", "edited" },
                Title: $"{act.ToString().ToLowerInvariant()} {parse.GetValue(concept)} (units {string.Join(",", result.Units)})"));
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{act.ToString().ToLowerInvariant()} {parse.GetValue(concept)}: units {string.Join(", ", result.Units)}; fit {fitSeconds:0.0} s, {(full ? "full edit" : "preview")} {editSeconds:0.00} s; wrote {outDir}/edited.png, reconstruction.png, mask.png, sheet.png"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>
    /// What GAN Paint needs, as <c>gansharp paint</c> and <c>gansharp serve</c> load it: the generator of
    /// <paramref name="checkpoint"/>, its dissection (<paramref name="dissection"/>, else the bundled one next to a bundled
    /// checkpoint) and the perceptual features of the inversion (<paramref name="features"/>: auto, none or a checkpoint).
    /// </summary>
    internal static (IGenerator Generator, DissectionResult Dissection, IPerceptualFeatures? Perceptual) LoadModel(string checkpoint, string? dissection,
        string features, string? assets, Device device, TextWriter log)
    {
        var g = GanCheckpoint.Open(checkpoint).LoadGenerator(device);
        var d = DissectionResult.Load(dissection ?? DefaultDissection(checkpoint));
        var phi = InversionCliOptions.LoadPerceptual(PerceptualChoice(features, assets, g.Output.Channels), 1.0, assets, g, device, log);
        return (g, d, phi);
    }

    /// <summary>The bundled dissection of a bundled checkpoint: <c>assets/dissections/&lt;checkpoint folder name&gt;</c>.</summary>
    internal static string DefaultDissection(string checkpoint)
    {
        var folder = Path.GetFullPath(checkpoint);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(folder)!)!, "dissections", name);
        if (Directory.Exists(candidate)) return candidate;
        throw new GanSharpException($"no dissection given and none bundled for {checkpoint} (looked in {candidate})",
            $"run `gansharp dissect -g {checkpoint} --layer L -o DIR` and pass --dissection DIR");
    }

    static string PerceptualChoice(string value, string? assets, int channels)
    {
        if (value != "auto" || channels != 3) return value;
        try
        {
            var emoji = Path.Combine(BundledAssets.Locate(assets), "checkpoints", "features-emoji");
            return Directory.Exists(emoji) ? emoji : "none";
        }
        catch (GanSharpException) { return "none"; }
    }

    /// <summary>The mask as <c>[1, 1, H, W]</c> 0/1; another size is resized (nearest) with a note; an empty mask is refused.</summary>
    static Tensor ReadMask(string path, int height, int width, TextWriter log)
    {
        var m = MaskReader.Read(path).unsqueeze(0); // [1, 1, H', W']
        if (m.shape[2] != height || m.shape[3] != width)
        {
            log.WriteLine($"note: --mask {path} is {m.shape[3]}×{m.shape[2]}; resized to {width}×{height}");
            m = F.interpolate(m, new long[] { height, width }, mode: InterpolationMode.Nearest);
        }
        if (m.sum().item<float>() == 0) throw new GanSharpException($"--mask {path}: the mask is empty (no painted pixel)", "paint the region to edit in white (or opaque) on black (or transparent)");
        return m;
    }
}
