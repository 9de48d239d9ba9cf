using System.CommandLine;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Diagnostics;
using GanSharp.Imaging;
using GanSharp.Metrics;
using Spectre.Console;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp train features</c>: the classifier whose features the FID-style metrics and perceptual losses use.</summary>
public static class FeaturesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("features", "Train the feature network (a classifier on the data's labels) used by gansharp eval");
        var data = new Option<string>("--data") { Description = "Labelled training data: " + DatasetResolver.Forms, Required = true };
        var validation = new Option<string?>("--validation") { Description = "Held-out data for accuracy (default: the test split for fashion-mnist)" };
        var output = new Option<string>("--out", "-o") { Description = "Checkpoint folder to write", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 3 };
        var maxImages = new Option<int?>("--max-images") { Description = "Train on at most this many images (seeded subset)" };
        var size = new Option<int>("--size") { Description = "Image side for folders and emoji", DefaultValueFactory = _ => 32 };
        var gray = new Option<bool>("--gray") { Description = "Read folders and emoji as gray" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        foreach (var o in new Option[] { data, validation, output, epochs, maxImages, size, gray, assets }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var resolve = new DatasetResolveOptions(parse.GetValue(size), parse.GetValue(gray) ? ImageMode.Gray : ImageMode.Rgb,
                BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)));
            var spec = parse.GetValue(data)!;
            var train = DatasetResolver.Resolve(spec, resolve);
            if (train.ClassNames.Count < 2) throw new GanSharpException($"{spec}: the feature network needs labelled data (at least 2 classes)");
            IImageDataset? held = parse.GetValue(validation) is { } v ? DatasetResolver.Resolve(v, resolve)
                : spec.StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase) ? DatasetResolver.Resolve("fashion-mnist:test", resolve) : null;
            var options = new FeatureNetworkTrainingOptions(Epochs: parse.GetValue(epochs), MaxTrainImages: parse.GetValue(maxImages)).Validate();
            FeatureNetworkTrainingResult result = null!;
            ctx.Console.Status().Start("training the feature network…", status =>
                result = FeatureNetworkTrainer.Train(train, held, options, new SyncProgress<FeatureNetworkProgress>(p =>
                    status.Status($"feature network: epoch {p.Epoch + 1}/{p.Epochs}, batch {p.Batch}/{p.BatchesPerEpoch}, loss {p.Loss:0.000}")), cancel, device));
            var outPath = parse.GetValue(output)!;
            result.Network.Save(outPath, options);
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: {train.Name}, {result.Elapsed.TotalSeconds:0} s, final loss {result.FinalLoss:0.000}, held-out accuracy {(result.ValidationAccuracy is double a ? a.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
