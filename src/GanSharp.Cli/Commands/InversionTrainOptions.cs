using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary>
/// The options <c>gansharp train encoder</c> and <c>gansharp train padinv</c> share (a frozen generator, data, the generic
/// loop's settings, perceptual features) and the run they both do through <see cref="Trainer"/>.
/// </summary>
public sealed class InversionTrainOptions
{
    /// <summary>--generator.</summary>
    public Option<string> Generator { get; } = new("--generator", "-g") { Description = "The GAN checkpoint to invert (checkpoint folder, run folder, or latest)", Required = true };
    /// <summary>--data.</summary>
    public Option<string> Data { get; } = new("--data") { Description = "Real training images: " + DatasetResolver.Forms + " (read at the generator's size and channels)", Required = true };
    /// <summary>--steps.</summary>
    public Option<long> Steps { get; } = new("--steps") { Description = "Training steps", DefaultValueFactory = _ => 2000 };
    /// <summary>--batch.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Real images per step (as many generated ones are added)", DefaultValueFactory = _ => 32 };
    /// <summary>--lr.</summary>
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Adam learning rate (default: the method's)" };
    /// <summary>--width.</summary>
    public Option<int> Width { get; } = new("--width") { Description = "Encoder width (channels of its first block)", DefaultValueFactory = _ => 32 };
    /// <summary>--features.</summary>
    public Option<string> Features { get; } = new("--features") { Description = "Perceptual features: auto (bundled feature network when its channels match), none, or a feature network checkpoint", DefaultValueFactory = _ => "auto" };
    /// <summary>--perceptual-weight.</summary>
    public Option<double?> PerceptualWeight { get; } = new("--perceptual-weight") { Description = "λ_per (default: the method's)" };
    /// <summary>--seed.</summary>
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of data order, generated codes and weights", DefaultValueFactory = _ => 0 };
    /// <summary>--sample-every.</summary>
    public Option<int> SampleEvery { get; } = new("--sample-every") { Description = "Steps between sample grids (G(E(G(z))))", DefaultValueFactory = _ => 500 };
    /// <summary>--checkpoint-every.</summary>
    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Steps between checkpoints", DefaultValueFactory = _ => 500 };
    /// <summary>--runs.</summary>
    public Option<string> Runs { get; } = new("--runs") { Description = "Folder of run folders", DefaultValueFactory = _ => GanSharp.Training.RunFolder.DefaultRoot };
    /// <summary>--desc.</summary>
    public Option<string?> Description { get; } = new("--desc") { Description = "Run folder description" };
    /// <summary>--dry-run.</summary>
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the resolved configuration and exit" };
    /// <summary>--assets.</summary>
    public Option<string?> Assets { get; } = new("--assets") { Description = "Bundled assets folder (bundled: data, --features auto)" };

    /// <summary>Adds every option to <paramref name="command"/> and returns them.</summary>
    public static InversionTrainOptions AddTo(Command command)
    {
        var o = new InversionTrainOptions();
        foreach (var option in new Option[] { o.Generator, o.Data, o.Steps, o.Batch, o.LearningRate, o.Width, o.Features, o.PerceptualWeight, o.Seed, o.SampleEvery, o.CheckpointEvery, o.Runs, o.Description, o.DryRun, o.Assets })
            command.Options.Add(option);
        return o;
    }

    /// <summary>
    /// Loads the generator and data, builds the method with <paramref name="create"/> (generator, φ), and trains it with
    /// the generic loop into a new run folder. Returns the exit code.
    /// </summary>
    public int Run(CliContext ctx, ParseResult parse, Device device, string method, Func<IGenerator, IPerceptualFeatures?, ITrainingMethod> create, CancellationToken cancel)
    {
        string generatorPath = parse.GetValue(Generator)!;
        var g = GanCheckpoint.Open(generatorPath).LoadGenerator(device);
        var dataset = DatasetResolver.Resolve(parse.GetValue(Data)!, new DatasetResolveOptions(g.Output.Height, ImageModes.FromChannels(g.Output.Channels),
            BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(Assets))));
        if (dataset.Height != g.Output.Height || dataset.Width != g.Output.Width || dataset.Channels != g.Output.Channels)
            throw new GanSharpException($"--data {parse.GetValue(Data)}: {dataset.Channels}x{dataset.Height}x{dataset.Width} images; the generator makes {g.Output.Channels}x{g.Output.Height}x{g.Output.Width}");
        var phi = InversionCliOptions.LoadPerceptual(parse.GetValue(Features)!, parse.GetValue(PerceptualWeight) ?? 1, parse.GetValue(Assets), g, device, ctx.Error);
        var training = new TrainingOptions(Steps: parse.GetValue(Steps), BatchSize: parse.GetValue(Batch), Seed: parse.GetValue(Seed),
            SampleEvery: parse.GetValue(SampleEvery), CheckpointEvery: parse.GetValue(CheckpointEvery)).Validate();
        manual_seed((long)training.Seed);
        using var m = create(g, phi);
        var trainer = new Trainer(m, dataset, training, device);
        var config = CheckpointWriter.ToJson(new { generator = Path.GetFullPath(generatorPath), data = dataset.Name, resolved = trainer.ResolvedConfig() });
        if (parse.GetValue(DryRun))
        {
            ctx.Output.WriteLine(JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        using var run = RunFolder.Create(parse.GetValue(Runs)!, method, parse.GetValue(Description) ?? method, config);
        ctx.Error.WriteLine($"run folder: {run.Path}");
        var result = TrainingProgressView.Run(ctx, method, training.Steps, progress => trainer.Run(run, null, progress, cancel));
        return TrainingRuns.Finish(ctx, result, run);
    }
}
