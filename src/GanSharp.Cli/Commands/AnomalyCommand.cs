using System.CommandLine;
using System.Globalization;
using System.Text;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.IO;
using GanSharp.Methods.Anomaly;
using GanSharp.Methods.Anomaly.Egbad;
using GanSharp.Methods.Anomaly.FAnoGan;
using GanSharp.Metrics;
using GanSharp.Reports;
using Spectre.Console;
using static TorchSharp.torch;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp anomaly train|score|eval</c>: GAN-based anomaly detection (AnoGAN, EGBAD, GANomaly, f-AnoGAN).</summary>
public static class AnomalyCommand
{
    static string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("anomaly", "Anomaly detection with GANs: train on normal images, score images, evaluate AUROC");
        cmd.Subcommands.Add(Train(ctx));
        cmd.Subcommands.Add(Score(ctx));
        cmd.Subcommands.Add(Eval(ctx));
        return cmd;
    }

    /// <summary>Resolves <paramref name="spec"/> at the model's (or requested) size and mode.</summary>
    static IImageDataset Resolve(string spec, int size, bool rgb, string? assets) =>
        DatasetResolver.Resolve(spec, new DatasetResolveOptions(size, rgb ? ImageMode.Rgb : ImageMode.Gray, BundledRoot: BundledAssets.SamplesOrNull(assets)));

    static Command Train(CliContext ctx)
    {
        var cmd = new Command("train", "Train an anomaly detector on the normal class only (a run folder under runs/ with the model in <run>/model)");
        var method = new Option<string>("--method", "-m") { Description = "Method: " + string.Join(", ", AnomalyDetectors.Names), Required = true };
        var data = new Option<string>("--data") { Description = "Training data (its train split): " + DatasetResolver.Forms, DefaultValueFactory = _ => "fashion-mnist" };
        var normalClass = new Option<int?>("--normal-class") { Description = "The class taken as normal (required for labelled data)" };
        var steps = new Option<long>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of data order, weights and latents", DefaultValueFactory = _ => 1 };
        var width = new Option<int>("--width") { Description = "DCGAN width multiplier", DefaultValueFactory = _ => 32 };
        var latent = new Option<int>("--latent") { Description = "Size of z", DefaultValueFactory = _ => 64 };
        var lr = new Option<double?>("--lr") { Description = "Learning rate of every network (default: each paper's)" };
        var encoderSteps = new Option<long?>("--encoder-steps") { Description = "f-AnoGAN encoder stage steps (default: --steps)" };
        var searchSteps = new Option<int>("--search-steps") { Description = "AnoGAN latent-search steps per image when scoring", DefaultValueFactory = _ => 500 };
        var variant = new Option<string>("--variant") { Description = "f-AnoGAN encoder training: izi, ziz, izi_f", DefaultValueFactory = _ => "izi_f" };
        var egbadScore = new Option<string>("--egbad-score") { Description = "EGBAD L_D in the score: ce or fm", DefaultValueFactory = _ => "ce" };
        var percentile = new Option<double>("--percentile") { Description = "Threshold = this percentile of held-out normal scores", DefaultValueFactory = _ => 95 };
        var size = new Option<int>("--size") { Description = "Image side", DefaultValueFactory = _ => 28 };
        var rgb = new Option<bool>("--rgb") { Description = "Train on RGB images (default gray)" };
        var runs = new Option<string>("--runs") { Description = "Folder of run folders", DefaultValueFactory = _ => GanSharp.Training.RunFolder.DefaultRoot };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        foreach (var o in new Option[] { method, data, normalClass, steps, batch, seed, width, latent, lr, encoderSteps, searchSteps, variant, egbadScore, percentile, size, rgb, runs, assets })
            cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var settings = new AnomalyTrainSettings(parse.GetValue(method)!, parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(seed),
                parse.GetValue(width), parse.GetValue(latent), parse.GetValue(encoderSteps), parse.GetValue(searchSteps), parse.GetValue(percentile),
                FAnoGanVariant: FAnoGanOptions.ParseVariant(parse.GetValue(variant)!), EgbadScore: EgbadOptions.ParseScore(parse.GetValue(egbadScore)!),
                LearningRate: parse.GetValue(lr)).Validate();
            var device = compute.Apply(parse);
            string spec = parse.GetValue(data)!;
            var all = Resolve(spec, parse.GetValue(size), parse.GetValue(rgb), parse.GetValue(assets));
            int? c = parse.GetValue(normalClass);
            if (c == null && all.ClassNames.Count > 0)
                throw new GanSharpException($"--normal-class is required: {all.Name} has classes 0..{all.ClassNames.Count - 1} ({string.Join(", ", all.ClassNames)})");
            var normal = c is int k ? all.ClassFilter(k) : all;
            ctx.Error.WriteLine($"normal data: {normal.Name}, {normal.Count} images" + (c is int kk && all.ClassNames.Count > kk ? $" (class {kk}: {all.ClassNames[kk]})" : ""));
            AnomalyTrainResult? result = null;
            TrainingProgressView.Run(ctx, $"anomaly/{settings.Method}", settings.Steps, progress =>
            {
                result = AnomalyPipeline.Train(normal, settings, parse.GetValue(runs)!, device, spec, c, null, true, progress, cancel);
                return result.Stages[^1];
            });
            ctx.Output.WriteLine($"run folder: {result!.RunFolder}");
            ctx.Output.WriteLine($"model: {result.ModelPath} ({result.Info.Method}, normal class {c?.ToString(CultureInfo.InvariantCulture) ?? "all"}, threshold {F(result.Info.Threshold ?? double.NaN, "0.######")} = {F(settings.ThresholdPercentile, "0.#")}th percentile of {result.ValidationScores.Length} held-out normal scores)");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    static Command Score(CliContext ctx)
    {
        var cmd = new Command("score", "Score image files with an anomaly model: scores.csv and heat-map PNGs. " +
            "Policy: colour is converted to the model's channels (RGB→gray luminance, gray→RGB copies, alpha composited on white); " +
            "images of another size are resized (centre crop) with a warning; unreadable files are refused.");
        var model = new Option<string>("--model") { Description = "Model folder (<run>/model) or run folder", Required = true };
        var images = new Option<string>("--images") { Description = "An image file or a folder of images (png, jpg, bmp, webp, gif)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder", Required = true };
        var batch = new Option<int>("--batch") { Description = "Images per scoring batch", DefaultValueFactory = _ => 32 };
        var shardOpt = ShardOption.Create();
        foreach (var o in new Option[] { model, images, output, batch, shardOpt }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var opened = AnomalyModel.Open(parse.GetValue(model)!);
            var shape = opened.Info.Image;
            var shard = ShardOption.Read(parse, shardOpt);
            var listed = ImageFiles.List(parse.GetValue(images)!, "--images", shard);
            var files = listed.Select(p => p.File).ToList();
            var readOptions = new ImageReadOptions(Mode: ImageModes.FromChannels(shape.Channels)).WithSize(shape.Width, shape.Height);
            var tensors = new List<Tensor>();
            foreach (var file in files)
            {
                var header = ImageReader.ReadHeader(file);
                if (header.Width != shape.Width || header.Height != shape.Height)
                    ctx.Error.WriteLine($"warning: {file} is {header.Width}x{header.Height}; resized (centre crop) to the model's {shape.Width}x{shape.Height}");
                tensors.Add(ImageReader.ReadTensor(file, readOptions)); // [C, H, W]
            }
            var scorer = opened.CreateScorer(device);
            var x = stack(tensors).to(device); // [N, C, H, W]
            int bs = Math.Max(1, parse.GetValue(batch));
            var scores = new List<double>();
            var maps = new List<Tensor>();
            for (int i = 0; i < files.Count; i += bs)
            {
                cancel.ThrowIfCancellationRequested();
                using var r = scorer.Score(x.narrow(0, i, Math.Min(bs, files.Count - i)), withMaps: true);
                scores.AddRange(r.Scores.to(float64).cpu().data<double>().ToArray());
                maps.Add(r.Maps!.cpu().detach().clone());
            }
            string outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.Combine(outDir, "heatmaps"));
            var allMaps = cat(maps.ToArray()); // [N, 1, H, W]
            double max = allMaps.max().item<float>();
            double? threshold = opened.Info.Threshold;
            var rows = new List<ScoreRow>();
            for (int i = 0; i < files.Count; i++)
            {
                string stem = $"{listed[i].Position:D4}-{Sanitize(Path.GetFileNameWithoutExtension(files[i]))}.png"; // position in the whole folder: shards merge
                var overlay = HeatMap.Overlay(x.narrow(0, i, 1).cpu(), allMaps.narrow(0, i, 1), max: max); // [1, 3, H, W]
                var pair = cat(new[] { ColorOps.GrayToRgb(x.narrow(0, i, 1).cpu()), overlay }); // [2, 3, H, W]
                SampleGrid.WritePng(pair, Path.Combine(outDir, "heatmaps", stem), new GridOptions(Columns: 2, Scale: Math.Max(1, 112 / shape.Height)));
                string flag = threshold is double t ? (scores[i] > t ? "true" : "false") : "";
                rows.Add(new ScoreRow(files[i], scores[i].ToString("R", CultureInfo.InvariantCulture), flag, "heatmaps/" + stem));
            }
            // RFC 4180 (CsvHelper): a file name with a comma, a quote or a line break is quoted, so every row stays one record.
            AtomicFile.Write(Path.Combine(outDir, $"scores{shard.Suffix}.csv"), stream =>
            {
                using var csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions(), true);
                foreach (var field in new[] { "file", "score", "anomalous", "heatmap" }) csv.WriteField(field);
                csv.EndRecord();
                foreach (var row in rows)
                {
                    csv.WriteField(row.File); csv.WriteField(row.Score); csv.WriteField(row.Anomalous); csv.WriteField(row.Heatmap);
                    csv.EndRecord();
                }
            });
            var table = new Table().Border(TableBorder.Rounded).AddColumn("file").AddColumn(new TableColumn("score").RightAligned()).AddColumn("anomalous");
            for (int i = 0; i < files.Count; i++)
                table.AddRow(Markup.Escape(Path.GetFileName(files[i])), F(scores[i], "0.####"), threshold is double t ? (scores[i] > t ? "yes" : "no") : "-");
            ctx.Console.Write(table);
            ctx.Output.WriteLine($"{opened.Info.Method} model, threshold {(threshold is double th ? F(th, "0.####") : "none")}; wrote {Path.Combine(outDir, $"scores{shard.Suffix}.csv")} and {files.Count} heat maps");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    static Command Eval(CliContext ctx)
    {
        var cmd = new Command("eval", "Evaluate an anomaly model on labelled data: AUROC, AUPRC, threshold precision/recall/F1, ROC PNG, HTML report");
        var model = new Option<string>("--model") { Description = "Model folder (<run>/model) or run folder", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled test data", DefaultValueFactory = _ => "fashion-mnist:test" };
        var normalClass = new Option<int?>("--normal-class") { Description = "The normal class (default: the model's); every other class is anomalous" };
        var output = new Option<string>("--out", "-o") { Description = "Report folder", Required = true };
        var batch = new Option<int>("--batch") { Description = "Images per scoring batch", DefaultValueFactory = _ => 128 };
        var limit = new Option<int?>("--limit") { Description = "Score only a seeded, stratified subset of this many images (quick runs)" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (for bundled: data)" };
        foreach (var o in new Option[] { model, data, normalClass, output, batch, limit, assets }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            var device = compute.Apply(parse);
            var opened = AnomalyModel.Open(parse.GetValue(model)!);
            var info = opened.Info;
            int normal = parse.GetValue(normalClass) ?? info.NormalClass
                ?? throw new GanSharpException("--normal-class is required: the model records no normal class");
            IImageDataset test = Resolve(parse.GetValue(data)!, info.Height, info.Channels == 3, parse.GetValue(assets));
            if (test.ClassNames.Count == 0) throw new GanSharpException($"{test.Name} has no labels; eval needs labelled data");
            if (normal < 0 || normal >= test.ClassNames.Count)
                throw new GanSharpException($"--normal-class {normal}: {test.Name} has classes 0..{test.ClassNames.Count - 1} ({string.Join(", ", test.ClassNames)})");
            if (parse.GetValue(limit) is int n && n < test.Count) test = test.SplitCounts(new[] { n }, 0, stratified: true)[0];
            var scorer = opened.CreateScorer(device);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var scores = AnomalyScoring.ScoreAll(scorer, test, parse.GetValue(batch), device, cancel: cancel);
            double seconds = sw.Elapsed.TotalSeconds;
            var labels = Enumerable.Range(0, test.Count).Select(i => test.LabelOf(i) != normal).ToArray();
            var result = AnomalyEvaluation.Evaluate(scores, labels, info.Threshold, info.ThresholdPercentile);
            var report = new HtmlReport(parse.GetValue(output)!, $"Anomaly detection: {info.Method}, normal class {normal}");
            try
            {
                AnomalyEvaluation.WriteReport(report, info, test.Name, normal, result, scores.Length / Math.Max(1e-9, seconds));
                var index = report.Publish();
                var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
                foreach (var (k, v) in AnomalyEvaluation.Rows(result)) table.AddRow(k, v);
                ctx.Console.Write(table);
                ctx.Output.WriteLine($"{scores.Length} images of {test.Name} ({labels.Count(a => a)} anomalous) in {F(seconds, "0.0")} s; report: {index}");
            }
            catch
            {
                report.Abandon();
                throw;
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    static string Sanitize(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());

    /// <summary>One row of scores.csv.</summary>
    sealed record ScoreRow(string File, string Score, string Anomalous, string Heatmap);
}
