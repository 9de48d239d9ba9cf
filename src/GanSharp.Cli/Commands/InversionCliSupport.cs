using System.CommandLine;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Diagnostics;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using GanSharp.Metrics;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>The options <c>gansharp invert</c> and <c>gansharp restore</c> share, and their image and feature loading.</summary>
public sealed class InversionCliOptions
{
    /// <summary>--shard K/N.</summary>
    public Option<string?> Shard { get; } = ShardOption.Create();

    /// <summary>--generator.</summary>
    public Option<string> Generator { get; } = new("--generator", "-g") { Description = "GAN checkpoint folder, run folder, or latest", Required = true };
    static readonly InversionOptions Defaults = new();

    InversionCliOptions(string defaultMethod)
    {
        Method = new("--method") { Description = "single (one code per image), mganprior (N codes composed at a layer); invert also: encoder, hybrid, padinv (need --encoder)", DefaultValueFactory = _ => defaultMethod };
    }

    /// <summary>--method.</summary>
    public Option<string> Method { get; }
    /// <summary>--space.</summary>
    public Option<string> Space { get; } = new("--space") { Description = "Latent space: z, w or wplus (DCGAN has no mapping: w = z)", DefaultValueFactory = _ => Defaults.Space.Name() };
    /// <summary>--codes.</summary>
    public Option<int> Codes { get; } = new("--codes") { Description = "mGANprior: latent codes per image (paper: 30)", DefaultValueFactory = _ => new MultiCodeOptions().Codes };
    /// <summary>--layer.</summary>
    public Option<int?> Layer { get; } = new("--layer") { Description = "mGANprior: composition layer (default: the middle layer)" };
    /// <summary>--steps.</summary>
    public Option<int> Steps { get; } = new("--steps") { Description = "Adam steps (mGANprior paper: 3000)", DefaultValueFactory = _ => Defaults.Steps };
    /// <summary>--lr.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate (cosine decay after a 5% warm-up)", DefaultValueFactory = _ => Defaults.LearningRate };
    /// <summary>--features.</summary>
    public Option<string> Features { get; } = new("--features") { Description = "Perceptual features: auto (bundled feature network when its channels match), none, or a feature network checkpoint", DefaultValueFactory = _ => "auto" };
    /// <summary>--perceptual-weight.</summary>
    public Option<double> PerceptualWeight { get; } = new("--perceptual-weight") { Description = "Weight of the perceptual term", DefaultValueFactory = _ => Defaults.PerceptualWeight };
    /// <summary>--latent-prior.</summary>
    public Option<double> LatentPrior { get; } = new("--latent-prior") { Description = "Weight of the latent prior: mean z² (space z) or mean (w − w̄)² (w, wplus); 0 to turn it off", DefaultValueFactory = _ => Defaults.LatentPriorWeight };
    /// <summary>--seed.</summary>
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the starting codes, noise maps and synthesised degradations", DefaultValueFactory = _ => 0 };
    /// <summary>--batch.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Images optimised together", DefaultValueFactory = _ => 16 };
    /// <summary>--resize.</summary>
    public Option<bool> Resize { get; } = new("--resize") { Description = "Resize (centre crop + scale) images whose size differs from the generator's instead of refusing them" };
    /// <summary>--out.</summary>
    public Option<string> Output { get; } = new("--out", "-o") { Description = "Output folder", Required = true };
    /// <summary>--assets.</summary>
    public Option<string?> Assets { get; } = new("--assets") { Description = "Bundled assets folder (for --features auto)" };

    /// <summary>Adds every option to <paramref name="command"/> and returns them; <paramref name="defaultMethod"/> is --method's default.</summary>
    public static InversionCliOptions AddTo(Command command, string defaultMethod = "single")
    {
        var o = new InversionCliOptions(defaultMethod);
        foreach (var option in new Option[] { o.Generator, o.Method, o.Space, o.Codes, o.Layer, o.Steps, o.LearningRate, o.Features, o.PerceptualWeight, o.LatentPrior, o.Seed, o.Batch, o.Resize, o.Output, o.Assets, o.Shard })
            command.Options.Add(option);
        return o;
    }

    /// <summary>The parsed method and its options, validated against <paramref name="g"/>.</summary>
    public (PriorMethod Method, InversionOptions Options, MultiCodeOptions Multi) Read(ParseResult parse, IGenerator g)
    {
        var method = PriorMethods.Parse(parse.GetValue(Method)!);
        var options = ReadOptions(parse);
        var multi = new MultiCodeOptions(parse.GetValue(Codes), parse.GetValue(Layer));
        if (method == PriorMethod.MultiCode) multi.Validate(g);
        return (method, options, multi);
    }

    /// <summary>The parsed optimisation options (space, steps, learning rate, weights, batch, seed), validated.</summary>
    public InversionOptions ReadOptions(ParseResult parse) =>
        new InversionOptions(LatentSpaces.Parse(parse.GetValue(Space)!), parse.GetValue(Steps), parse.GetValue(LearningRate),
            PerceptualWeight: parse.GetValue(PerceptualWeight), LatentPriorWeight: parse.GetValue(LatentPrior), BatchSize: parse.GetValue(Batch), Seed: parse.GetValue(Seed)).Validate();

    /// <summary>
    /// φ from --features: <c>auto</c> uses the bundled <c>features-fashion-mnist</c> network when it exists and has the
    /// generator's channels (else none), <c>none</c> gives a pixel-only loss, anything else is a feature network checkpoint.
    /// </summary>
    public IPerceptualFeatures? ReadPerceptual(ParseResult parse, IGenerator g, Device device, TextWriter log) =>
        LoadPerceptual(parse.GetValue(Features)!, parse.GetValue(PerceptualWeight), parse.GetValue(Assets), g, device, log);

    /// <summary>φ from a --features value (auto, none or a feature network checkpoint); null when <paramref name="weight"/> is 0.</summary>
    public static IPerceptualFeatures? LoadPerceptual(string value, double weight, string? assets, IGenerator g, Device device, TextWriter log)
    {
        if (value == "none" || weight == 0) return null;
        if (value == "auto")
        {
            string? folder = null;
            try { folder = Path.Combine(BundledAssets.Locate(assets), "checkpoints", "features-fashion-mnist"); }
            catch (GanSharpException) { }
            if (folder is null || !Directory.Exists(folder))
            {
                log.WriteLine("note: no bundled feature network found; pixel loss only (pass --features PATH)");
                return null;
            }
            var bundled = FeatureNetwork.Load(folder, device);
            if (bundled.Config.Channels != g.Output.Channels)
            {
                log.WriteLine($"note: the bundled feature network is {bundled.Config.Channels}-channel and the generator {g.Output.Channels}-channel; pixel loss only (pass --features PATH)");
                return null;
            }
            return new FeatureNetworkPerceptual(bundled);
        }
        var net = FeatureNetwork.Load(value, device);
        return new FeatureNetworkPerceptual(net);
    }

    /// <summary>
    /// Reads an image file, or every image in a folder (sorted by name), as <paramref name="shape"/>: channels are converted
    /// (RGB → luma for gray generators, gray repeated for RGB ones); a size other than the generator's is refused unless
    /// <paramref name="resize"/> (centre crop + scale). Returns the images <c>[N, C, H, W]</c> and their names.
    /// </summary>
    public static (Tensor Images, IReadOnlyList<string> Names) ReadImages(string path, ImageShape shape, bool resize, string option, Shard? shard = null)
    {
        var files = ImageFiles.List(path, option, shard).Select(p => p.File).ToArray();
        var images = new List<Tensor>();
        foreach (var f in files)
        {
            var header = ImageReader.ReadHeader(f);
            if ((header.Width != shape.Width || header.Height != shape.Height) && !resize)
                throw new GanSharpException($"{f} is {header.Width}x{header.Height} but the generator makes {shape.Width}x{shape.Height} images",
                    "pass --resize to centre-crop and scale it, or give images of the generator's size");
            var options = new ImageReadOptions(ImageModes.FromChannels(shape.Channels), Width: shape.Width, Height: shape.Height, Resize: ResizePolicy.CenterCrop);
            images.Add(ImageReader.ReadTensor(f, options));
        }
        return (stack(images.ToArray()), files.Select(Path.GetFileNameWithoutExtension).Select(n => n!).ToList());
    }

    /// <summary>A progress sink that prints a line every 10% of the work.</summary>
    public static IProgress<InversionProgress> Lines(TextWriter output, string what)
    {
        int last = -1;
        return new SyncProgress<InversionProgress>(p =>
        {
            int tenth = (int)Math.Floor(p.Fraction * 10);
            if (tenth == last) return;
            last = tenth;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {p.Fraction * 100:0}% (batch {p.Batch + 1}/{p.Batches}, step {p.Step}/{p.Steps}, loss {p.Loss:0.0000})"));
        });
    }

    /// <summary>Writes one PNG per image into <paramref name="folder"/> (created), named after <paramref name="names"/>.</summary>
    public static void WriteEach(Tensor images, IReadOnlyList<string> names, string folder)
    {
        Directory.CreateDirectory(folder);
        var cpu = images.detach().cpu();
        for (int i = 0; i < names.Count; i++) ImageWriter.WritePng(cpu[i].clamp(-1, 1), Path.Combine(folder, names[i] + ".png"));
    }

    /// <summary>Upscale factor that makes small images visible in a comparison grid.</summary>
    public static int GridScale(ImageShape shape) => Math.Max(1, 56 / shape.Height);
}
