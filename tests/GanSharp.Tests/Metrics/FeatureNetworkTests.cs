using GanSharp.Diagnostics;
using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Metrics;
using GanSharp.Platform;
using GanSharp.Tests.Cli;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Metrics;

public class FeatureNetworkTests
{
    internal static IImageDataset BundledFashion() =>
        DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(DataCommandTests.Assets, "samples")));

    static FeatureNetwork Tiny(int channels = 1, int size = 28, long seed = 1)
    {
        manual_seed(seed);
        var net = new FeatureNetwork(new FeatureNetworkConfig(channels, size, Classes: 10, Width: 4, FeatureDim: 16));
        net.eval();
        return net;
    }

    [Fact]
    public void FeaturesAndLogitsHaveTheDocumentedShapes()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var net = Tiny();
        using var _ = no_grad();
        var x = rand(5, 1, 28, 28) * 2 - 1;
        Assert.Equal(new long[] { 5, 16 }, net.Features(x).shape);
        Assert.Equal(new long[] { 5, 10 }, net.Logits(x).shape);
        Assert.True(net.Features(x).min().item<float>() >= 0);
        Assert.Equal(new long[] { 3, 16 }, net.Features(rand(3, 1, 40, 40)).shape); // resized to 28×28
        Assert.Equal(new long[] { 3, 16 }, net.Features(rand(3, 1, 14, 14)).shape);
        Assert.Throws<ArgumentException>(() => net.Features(rand(2, 3, 28, 28)));
        Assert.Throws<GanSharpException>(() => new FeatureNetworkConfig(2, 28, 10).Validate());
    }

    [Fact]
    public void CheckpointRoundTripGivesIdenticalFeatures()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("featnet");
        var net = Tiny(seed: 5);
        net.Info = new FeatureNetworkInfo("synthetic", Enumerable.Range(0, 10).Select(i => "c" + i).ToArray(), 0.5, 100, 1);
        string path = dir.Combine("feature-net");
        var manifest = net.Save(path, new FeatureNetworkTrainingOptions(Epochs: 1, Width: 4, FeatureDim: 16));
        Assert.Equal(FeatureNetwork.MethodName, manifest.Method);

        var registry = new CheckpointModelRegistry();
        var loaded = FeatureNetwork.Load(path, registry: registry);
        Assert.Equal(net.Config, loaded.Config);
        Assert.Equal(0.5, loaded.Info!.ValidationAccuracy);
        Assert.Equal("c9", loaded.Info.ClassNames[9]);
        using var _ = no_grad();
        var x = rand(4, 1, 28, 28, generator: new Generator(2)) * 2 - 1;
        Assert.True(net.Features(x).equal(loaded.Features(x)).all().item<bool>());
        Assert.True(registry.TryGet(FeatureNetwork.MethodName, FeatureNetwork.ModuleName, out var _factory));
    }

    [Fact]
    public void LoadRefusesAnotherMethodsCheckpoint()
    {
        using var dir = new ScratchFolder("featnet");
        string path = dir.Combine("other");
        using (var w = new CheckpointWriter(path, "dcgan", 1, CheckpointWriter.ToJson(new { lr = 1 }), CheckpointWriter.ToJson(new { c = 1 })))
            w.Commit();
        var e = Assert.Throws<GanSharpException>(() => FeatureNetwork.Load(path, registry: new CheckpointModelRegistry()));
        Assert.Contains("dcgan", e.Message);
    }

    [Fact]
    public void TrainerRunsOnTheBundledSamplesAndReportsAccuracy()
    {
        var data = BundledFashion();
        var reports = new List<FeatureNetworkProgress>();
        var result = FeatureNetworkTrainer.Train(data, data, new FeatureNetworkTrainingOptions(Epochs: 2, BatchSize: 32, Width: 4, FeatureDim: 16),
            new SyncProgress<FeatureNetworkProgress>(reports.Add));
        Assert.Equal(4, reports.Count);
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.InRange(result.ValidationAccuracy!.Value, 0, 1);
        Assert.Equal(data.Name, result.Network.Info!.TrainedOn);
        Assert.False(result.Network.training);
        Assert.Throws<GanSharpException>(() => FeatureNetworkTrainer.Train(data, null, new FeatureNetworkTrainingOptions(Epochs: 0)));
    }

    [Fact]
    public void StrongAugmentationWarpsEachImageAndKeepsConstantsConstant()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var rng = new Generator(3);
        var constant = full(new long[] { 4, 3, 16, 16 }, -0.25f);                            // [N, C, H, W]
        var warped = FeatureNetworkTrainer.AugmentStrong(constant, rng);
        Assert.Equal(constant.shape, warped.shape);
        Assert.True((warped - constant).abs().max().item<float>() < 1e-5f);              // edges replicated, no padding colour
        var ramp = arange(16, dtype: float32).reshape(1, 1, 1, 16).expand(8, 1, 16, 16) / 8 - 1; // [8, 1, 16, 16]
        var out1 = FeatureNetworkTrainer.AugmentStrong(ramp, rng);
        Assert.True(out1.min().item<float>() >= -1 - 1e-5f && out1.max().item<float>() <= ramp.max().item<float>() + 1e-5f);
        Assert.False(out1[0].equal(out1[1]).all().item<bool>());                                // per image, not per batch
        Assert.False(out1.equal(FeatureNetworkTrainer.AugmentStrong(ramp, rng)).all().item<bool>());
    }

    [Fact]
    public void BlurAugmentationSoftensEachImageByItsOwnAmount()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var checker = ((arange(16).reshape(16, 1) + arange(16).reshape(1, 16)) % 2 * 2 - 1).to(float32).expand(64, 1, 16, 16); // [64, 1, 16, 16]
        var blurred = FeatureNetworkTrainer.BlurEach(checker, 0.8, new Generator(5));
        var contrast = blurred.std(new long[] { 1, 2, 3 });                                       // [64]
        Assert.True(contrast.max().item<float>() <= 1.01f);
        Assert.True(contrast.min().item<float>() < 0.5f);                                        // some images blurred hard
        Assert.True(contrast.max().item<float>() - contrast.min().item<float>() > 0.3f);        // by different amounts
        Assert.Throws<GanSharpException>(() => new FeatureNetworkTrainingOptions(BlurSigma: -1).Validate());
        Assert.Throws<GanSharpException>(() => new FeatureNetworkTrainingOptions(Augmentation: FeatureAugmentation.None, BlurSigma: 0.5).Validate());
    }

    [Fact]
    public void TrainerRefusesValidationClassesNamedDifferently()
    {
        var train = new GanSharp.Tests.Data.SyntheticDataset(8, classes: 2);
        var renamed = new ConcatenatedDataset(new IImageDataset[] { new GanSharp.Tests.Data.SyntheticDataset(4, classes: 2) }, new[] { "c1", "c0" });
        var e = Assert.Throws<GanSharpException>(() => FeatureNetworkTrainer.Train(train, renamed, new FeatureNetworkTrainingOptions(Epochs: 1, BatchSize: 4, Width: 2, FeatureDim: 4)));
        Assert.Contains("AlignClasses", e.Hint ?? e.Message);
    }
}
