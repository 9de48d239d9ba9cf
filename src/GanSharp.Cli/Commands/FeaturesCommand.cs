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
        var data = new Option<string[]>("--data") { Description = "Labelled training data (repeat to combine sets; labels are matched by class name): " + DatasetResolver.Forms, Required = true };
        var validation = new Option<string[]>("--validation") { Description = "Held-out data for accuracy (repeatable; default: the test split for fashion-mnist)" };
        var labels = new Option<string>("--labels") { Description = "Emoji class labels: category (9-10 classes) or subcategory (about 100)", DefaultValueFactory = _ => "category" };
        var output = new Option<string>("--out", "-o") { Description = "Checkpoint folder to write", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 3 };
        var maxImages = new Option<int?>("--max-images") { Description = "Train on at most this many images (seeded subset)" };
        var size = new Option<int>("--size") { Description = "Image side for folders and emoji", DefaultValueFactory = _ => 32 };
        var gray = new Option<bool>("--gray") { Description = "Read folders and emoji as gray" };
        var defaults = new FeatureNetworkTrainingOptions();
        var width = new Option<int>("--width") { Description = "Channels of the first stage (then 2x, 4x)", DefaultValueFactory = _ => defaults.Width };
        var featureDim = new Option<int>("--feature-dim") { Description = "Feature dimension D", DefaultValueFactory = _ => defaults.FeatureDim };
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (cosine-decayed to 5%)", DefaultValueFactory = _ => defaults.LearningRate };
        var augment = new Option<FeatureAugmentation>("--augment") { Description = "Training augmentation: None, Light (flips, shifts) or Strong (flips, rotation, scale, shifts)", DefaultValueFactory = _ => defaults.Augmentation };
        var blur = new Option<double>("--augment-blur") { Description = "Also blur each training image by a Gaussian of sigma drawn from [0, S] pixels (0: none)", DefaultValueFactory = _ => defaults.BlurSigma };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, batch order and augmentation", DefaultValueFactory = _ => defaults.Seed };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        foreach (var o in new Option[] { data, validation, labels, output, epochs, maxImages, size, gray, width, featureDim, batch, lr, augment, blur, seed, assets }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var labelKind = EmojiLabelKinds.Parse(parse.GetValue(labels)!);
            var resolve = new DatasetResolveOptions(parse.GetValue(size), parse.GetValue(gray) ? ImageMode.Gray : ImageMode.Rgb,
                BundledRoot: BundledAssets.SamplesOrNull(parse.GetValue(assets)), EmojiLabels: labelKind);
            var specs = parse.GetValue(data)!;
            var parts = specs.Select(s => DatasetResolver.Resolve(s, resolve)).ToArray();
            if (labelKind != EmojiLabels.Category && parts.FirstOrDefault(p => p is not EmojiDataset) is { } notEmoji)
                throw new GanSharpException($"--labels {labelKind.Key()} applies to emoji data only, not {notEmoji.Name}", "leave --labels at category for other data");
            var train = Combine(parts);
            if (train.ClassNames.Count < 2) throw new GanSharpException($"{train.Name}: the feature network needs labelled data (at least 2 classes)");
            var heldSpecs = parse.GetValue(validation) is { Length: > 0 } v ? v
                : specs.Length == 1 && specs[0].StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase) ? new[] { "fashion-mnist:test" } : Array.Empty<string>();
            IImageDataset? held = heldSpecs.Length == 0 ? null : Combine(heldSpecs.Select(s => DatasetResolver.Resolve(s, resolve)).ToArray()).AlignClasses(train.ClassNames);
            var options = new FeatureNetworkTrainingOptions(Epochs: parse.GetValue(epochs), BatchSize: parse.GetValue(batch), LearningRate: parse.GetValue(lr),
                Width: parse.GetValue(width), FeatureDim: parse.GetValue(featureDim), MaxTrainImages: parse.GetValue(maxImages), Augmentation: parse.GetValue(augment), BlurSigma: parse.GetValue(blur), Seed: parse.GetValue(seed)).Validate();
            FeatureNetworkTrainingResult result = null!;
            ctx.Console.Status().Start("training the feature network…", status =>
                result = FeatureNetworkTrainer.Train(train, held, options, new SyncProgress<FeatureNetworkProgress>(p =>
                    status.Status($"feature network: epoch {p.Epoch + 1}/{p.Epochs}, batch {p.Batch}/{p.BatchesPerEpoch}, loss {p.Loss:0.000}")), cancel, device));
            var outPath = parse.GetValue(output)!;
            result.Network.Save(outPath, options);
            ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: {train.Name} ({train.Count} images, {train.ClassNames.Count} classes), {result.Elapsed.TotalSeconds:0} s, final loss {result.FinalLoss:0.000}, held-out accuracy {(result.ValidationAccuracy is double a ? a.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>One dataset as is; several as one <see cref="ConcatenatedDataset"/> (labels matched by class name).</summary>
    static IImageDataset Combine(IImageDataset[] parts) => parts.Length == 1 ? parts[0] : DatasetViews.Combine(parts);
}
