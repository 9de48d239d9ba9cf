using System.Diagnostics;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Metrics;

/// <summary>Options of <see cref="FeatureNetworkTrainer.Train"/>.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="LearningRate">Adam learning rate (β = 0.9, 0.999), decayed by a cosine schedule to 5% over the run.</param>
/// <param name="WeightDecay">Adam L2 weight decay.</param>
/// <param name="Width">First-stage channels (see <see cref="FeatureNetworkConfig.Width"/>).</param>
/// <param name="FeatureDim">Feature dimension D.</param>
/// <param name="Size">Side the network computes at; null: the dataset's height.</param>
/// <param name="Augmentation">How training images are varied (<see cref="FeatureAugmentation"/>).</param>
/// <param name="BlurSigma">With augmentation, also blur each image by a Gaussian of σ drawn uniformly from [0, BlurSigma] pixels
/// (<see cref="GaussianBlur"/>), so that sub-pixel softness does not read as another kind of image; 0: no blur.</param>
/// <param name="MaxTrainImages">Use at most this many training images (a seeded random subset); null: all.</param>
/// <param name="Seed">Seed of the initial weights, the batch order and the augmentation.</param>
public sealed record FeatureNetworkTrainingOptions(
    int Epochs = 3,
    int BatchSize = 128,
    double LearningRate = 2e-3,
    double WeightDecay = 0,
    int Width = 16,
    int FeatureDim = 128,
    int? Size = null,
    FeatureAugmentation Augmentation = FeatureAugmentation.Light,
    double BlurSigma = 0,
    int? MaxTrainImages = null,
    ulong Seed = 0)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public FeatureNetworkTrainingOptions Validate()
    {
        if (Epochs < 1) throw new GanSharpException($"feature network training: {Epochs} epochs; must be at least 1");
        if (BatchSize < 2) throw new GanSharpException($"feature network training: batch size {BatchSize}; must be at least 2 (BatchNorm)");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new GanSharpException($"feature network training: learning rate {LearningRate}; must be positive");
        if (!(WeightDecay >= 0)) throw new GanSharpException($"feature network training: weight decay {WeightDecay}; must be ≥ 0");
        if (!Enum.IsDefined(Augmentation)) throw new GanSharpException($"feature network training: unknown augmentation {(int)Augmentation}");
        if (!(BlurSigma is >= 0 and <= 4)) throw new GanSharpException($"feature network training: blur σ {BlurSigma}; must be 0..4 pixels");
        if (BlurSigma > 0 && Augmentation == FeatureAugmentation.None) throw new GanSharpException("feature network training: blur σ needs augmentation (Light or Strong)");
        if (MaxTrainImages is < 2) throw new GanSharpException($"feature network training: max train images {MaxTrainImages}; must be at least 2");
        return this;
    }
}

/// <summary>How <see cref="FeatureNetworkTrainer"/> varies the training images.</summary>
public enum FeatureAugmentation
{
    /// <summary>The images as they are.</summary>
    None,

    /// <summary>Random horizontal flip per image and one random shift of up to 2 pixels per batch (edges replicated).</summary>
    Light,

    /// <summary>
    /// Random horizontal flip and a random affine warp per image: rotation up to ±10°, scale 0.9–1.1, shift up to ±10 % of
    /// the side (bilinear, edges replicated). Colours are left alone.
    /// </summary>
    Strong,
}

/// <summary>Progress of a feature network training run, reported after every step.</summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Batch">Zero-based batch within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches per epoch.</param>
/// <param name="Loss">Cross-entropy of this batch.</param>
public readonly record struct FeatureNetworkProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss);

/// <summary>The outcome of <see cref="FeatureNetworkTrainer.Train"/>.</summary>
/// <param name="Network">The trained network, in eval mode, with <see cref="FeatureNetwork.Info"/> set.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the validation set; null without one.</param>
/// <param name="FinalLoss">Mean training cross-entropy over the last epoch.</param>
/// <param name="Elapsed">Wall-clock training time (validation included).</param>
public sealed record FeatureNetworkTrainingResult(FeatureNetwork Network, double? ValidationAccuracy, double FinalLoss, TimeSpan Elapsed);

/// <summary>
/// Trains a <see cref="FeatureNetwork"/> as a plain classifier (cross-entropy, Adam) on a labelled dataset:
/// Fashion-MNIST's 10 classes, or the emoji categories or subcategories of one or more <see cref="EmojiDataset"/>s (combined with <see cref="DatasetViews.Combine"/>).
/// </summary>
public static class FeatureNetworkTrainer
{
    /// <summary>Trains a feature network on <paramref name="train"/> and measures it on <paramref name="validation"/>.</summary>
    /// <param name="train">Labelled training images (every label in 0..classes-1).</param>
    /// <param name="validation">Labelled held-out images of the same shape and classes, or null.</param>
    /// <param name="options">Training options; null uses the defaults.</param>
    /// <param name="progress">Receives one report per step.</param>
    /// <param name="cancel">Stops training between steps.</param>
    /// <param name="device">Where to train; null: the CPU.</param>
    public static FeatureNetworkTrainingResult Train(IImageDataset train, IImageDataset? validation, FeatureNetworkTrainingOptions? options = null,
        IProgress<FeatureNetworkProgress>? progress = null, CancellationToken cancel = default, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        TorchRuntime.EnsureInitialized();
        var o = (options ?? new FeatureNetworkTrainingOptions()).Validate();
        device ??= CPU;
        int classes = train.ClassNames.Count;
        if (classes < 2)
            throw new GanSharpException($"feature network training: {train.Name} has {classes} class names; a labelled dataset is needed",
                "use Fashion-MNIST or an emoji set (its categories are the labels)");
        if (validation != null && (validation.Channels != train.Channels || validation.ClassNames.Count != classes))
            throw new GanSharpException($"feature network training: validation set {validation.Name} ({validation.Channels} channels, {validation.ClassNames.Count} classes) " +
                                        $"does not match {train.Name} ({train.Channels} channels, {classes} classes)",
                "map the validation labels onto the training classes with DatasetViews.AlignClasses");
        if (validation != null && !validation.ClassNames.SequenceEqual(train.ClassNames, StringComparer.Ordinal))
            throw new GanSharpException($"feature network training: validation set {validation.Name} names its {classes} classes differently from {train.Name} " +
                                        $"(first difference: '{validation.ClassNames.Zip(train.ClassNames).First(p => p.First != p.Second).First}')",
                "map the validation labels onto the training classes with DatasetViews.AlignClasses");
        if (o.MaxTrainImages is int max && max < train.Count) train = train.Shuffle(o.Seed).Take(max);
        var config = new FeatureNetworkConfig(train.Channels, o.Size ?? train.Height, classes, o.Width, o.FeatureDim).Validate();

        var clock = Stopwatch.StartNew();
        manual_seed((long)(o.Seed % long.MaxValue));
        var network = new FeatureNetwork(config);
        network.to(device);
        network.train();
        using var optimizer = optim.Adam(network.parameters(), lr: o.LearningRate, weight_decay: o.WeightDecay);
        using var loader = new DataLoader(train, new DataLoaderOptions(o.BatchSize, Shuffle: true, Seed: o.Seed, DropLast: train.Count >= o.BatchSize), device);
        var augmentRng = new Generator(o.Seed ^ 0x5EEDA06UL);
        long totalSteps = (long)o.Epochs * loader.BatchesPerEpoch, step = 0;
        double lastEpochLoss = double.NaN;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in loader.ReadEpoch(cancel))
            {
                using var scope = NewDisposeScope();
                using var _ = batch;
                cancel.ThrowIfCancellationRequested();
                CheckLabels(batch.Labels, classes, train.Name);
                // Cosine decay of the learning rate to 5% of its start.
                double lr = o.LearningRate * Training.LearningRateCurves.Cosine(step / (double)totalSteps, floor: 0.05);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                var images = o.Augmentation switch
                {
                    FeatureAugmentation.Light => Augment(batch.Images, augmentRng),
                    FeatureAugmentation.Strong => AugmentStrong(batch.Images, augmentRng),
                    _ => batch.Images,
                }; // [N, C, H, W]
                if (o.BlurSigma > 0) images = BlurEach(images, o.BlurSigma, augmentRng);
                var loss = F.cross_entropy(network.Logits(images), batch.Labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new GanSharpException($"feature network training diverged (loss {value}) at epoch {epoch}, batch {batches}",
                        "lower the learning rate");
                lossSum += value;
                progress?.Report(new FeatureNetworkProgress(epoch, o.Epochs, batches, loader.BatchesPerEpoch, value));
                batches++;
                step++;
            }
            lastEpochLoss = lossSum / Math.Max(1, batches);
        }
        network.eval();
        double? accuracy = validation == null ? null : Accuracy(network, validation, o.BatchSize, device, cancel);
        network.Info = new FeatureNetworkInfo(train.Name, train.ClassNames.ToArray(), accuracy, train.Count, o.Epochs);
        return new FeatureNetworkTrainingResult(network, accuracy, lastEpochLoss, clock.Elapsed);
    }

    /// <summary>Top-1 accuracy of <paramref name="network"/> (in whatever mode it is; use eval) on a labelled dataset.</summary>
    public static double Accuracy(FeatureNetwork network, IImageDataset data, int batchSize = 256, Device? device = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        TorchRuntime.EnsureInitialized();
        using var _ = no_grad();
        using var loader = new DataLoader(data, new DataLoaderOptions(batchSize, Shuffle: false), device);
        long correct = 0;
        foreach (var batch in loader.ReadEpoch(cancel))
        {
            using var scope = NewDisposeScope();
            using var b = batch;
            correct += network.Logits(batch.Images).argmax(1).eq(batch.Labels).sum().item<long>();
        }
        return (double)correct / data.Count;
    }

    /// <summary>Random horizontal flip per image and one random shift of up to 2 pixels per batch (edges replicated).</summary>
    /// <param name="x">Images <c>[N, C, H, W]</c>.</param>
    /// <param name="rng">The trainer's random stream.</param>
    /// <returns>Augmented images <c>[N, C, H, W]</c>.</returns>
    static Tensor Augment(Tensor x, Generator rng)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var flip = (rand(new long[] { n, 1, 1, 1 }, generator: rng) < 0.5).to(x.device); // [N, 1, 1, 1]
        x = where(flip, x.flip(3), x);
        const int pad = 2;
        var offsets = randint(0, 2 * pad + 1, new long[] { 2 }, generator: rng);
        long dy = offsets[0].item<long>(), dx = offsets[1].item<long>();
        var padded = F.pad(x, new long[] { pad, pad, pad, pad }, PaddingModes.Replicate); // [N, C, H+4, W+4]
        return padded.narrow(2, dy, h).narrow(3, dx, w);
    }

    /// <summary>Random horizontal flip and a random affine warp (rotation, scale, shift) per image, edges replicated.</summary>
    /// <param name="x">Images <c>[N, C, H, W]</c>.</param>
    /// <param name="rng">The trainer's random stream.</param>
    /// <returns>Augmented images <c>[N, C, H, W]</c>.</returns>
    internal static Tensor AugmentStrong(Tensor x, Generator rng)
    {
        const double maxAngle = 10 * Math.PI / 180, maxLogScale = 0.0953, maxShift = 0.2; // shift in [-1, 1] units: 0.2 = 10 % of the side
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        Tensor Uniform(double limit) => (rand(new long[] { n }, float32, generator: rng) * 2 - 1) * limit; // [N]
        var angle = Uniform(maxAngle);
        var scale = Uniform(maxLogScale).exp();                       // output→input sampling scale
        var flip = where(rand(new long[] { n }, generator: rng) < 0.5, -1f, 1f); // [N]
        var cos = angle.cos() * scale; var sin = angle.sin() * scale;
        var row0 = stack(new[] { cos * flip, -sin, Uniform(maxShift) }, 1); // [N, 3]
        var row1 = stack(new[] { sin * flip, cos, Uniform(maxShift) }, 1);  // [N, 3]
        var theta = stack(new[] { row0, row1 }, 1).to(x.dtype, x.device);   // [N, 2, 3]
        var grid = F.affine_grid(theta, x.shape, align_corners: false);      // [N, H, W, 2]
        return F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false).MoveToOuterDisposeScope();
    }

    /// <summary>Blurs each image by a Gaussian of σ drawn uniformly from [0, <paramref name="maxSigma"/>].</summary>
    /// <param name="x">Images <c>[N, C, H, W]</c>.</param>
    /// <param name="maxSigma">The largest σ in pixels.</param>
    /// <param name="rng">The trainer's random stream.</param>
    /// <returns>Blurred images <c>[N, C, H, W]</c>.</returns>
    internal static Tensor BlurEach(Tensor x, double maxSigma, Generator rng)
    {
        using var scope = NewDisposeScope();
        var sigmas = rand(new long[] { x.shape[0] }, float64, generator: rng) * maxSigma; // [N]
        return GaussianBlur.Apply(x, sigmas, maxSigma).MoveToOuterDisposeScope();
    }

    static void CheckLabels(Tensor labels, int classes, string name)
    {
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min < 0 || max >= classes)
            throw new GanSharpException($"feature network training: {name} has labels outside 0..{classes - 1} (found {min}..{max}); every image needs a class");
    }
}
