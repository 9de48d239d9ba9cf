using GanSharp.Methods.Inversion;
using GanSharp.Metrics;
using GanSharp.Tests.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class PerceptualLossTests
{
    [Fact]
    public void StageActivationsHaveTheDocumentedShapesAndTheSavedFormatIsUnchanged()
    {
        using var scope = NewDisposeScope();
        var net = InversionTestModels.FeatureNet(1, size: 16);
        var maps = net.StageActivations(InversionTestModels.Images(2, 3, 1, 16));
        Assert.Equal(3, maps.Count);
        Assert.Equal(new long[] { 3, 2, 16, 16 }, maps[0].shape);
        Assert.Equal(new long[] { 3, 4, 8, 8 }, maps[1].shape);
        Assert.Equal(new long[] { 3, 8, 4, 4 }, maps[2].shape);
        Assert.True(maps.All(m => m.min().item<float>() >= 0)); // after ReLU
        var keys = net.state_dict().Keys.ToList();
        Assert.Contains("body.stage1.conv.weight", keys);
        Assert.Contains("body.stage3.bn.running_mean", keys);
        Assert.Contains("embed.weight", keys);
    }

    [Fact]
    public void LossIsZeroForIdenticalImagesPositiveOtherwiseAndMatchesPrecomputedTargets()
    {
        using var scope = NewDisposeScope();
        var phi = InversionTestModels.Phi(3);
        var x = InversionTestModels.Images(4, 2, 1, 8);
        var y = InversionTestModels.Images(5, 2, 1, 8);
        Assert.True(PerceptualLoss.Loss(phi, x, x.clone()).abs().max().item<float>() < 1e-6f);
        Assert.True(PerceptualLoss.Distance(phi, x, x.clone()).abs().max().item<float>() < 1e-6f);
        var loss = PerceptualLoss.Loss(phi, x, y); // [2]
        Assert.Equal(new long[] { 2 }, loss.shape);
        Assert.True(loss.min().item<float>() > 0);
        Assert.True(loss.allclose(PerceptualLoss.Loss(phi, x, PerceptualLoss.Targets(phi, y)), rtol: 1e-5, atol: 1e-7));
        // Unit vectors differ by at most 2, so the distance is at most 4 per layer.
        var d = PerceptualLoss.Distance(phi, x, y);
        Assert.True(d.min().item<float>() > 0 && d.max().item<float>() <= 12f);
    }

    [Fact]
    public void EachImageIsScoredOnItsOwn()
    {
        using var scope = NewDisposeScope();
        var phi = InversionTestModels.Phi(6);
        var x = InversionTestModels.Images(7, 3, 1, 8);
        var y = InversionTestModels.Images(8, 3, 1, 8);
        var batch = PerceptualLoss.Distance(phi, x, y);
        var single = PerceptualLoss.Distance(phi, x[1..2], y[1..2]);
        Assert.True(batch[1..2].allclose(single, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void LossAndDistanceGradientsMatchFiniteDifferencesInFloat64()
    {
        using var scope = NewDisposeScope();
        var net = InversionTestModels.FeatureNet(9);
        net.to(float64);
        var phi = new FeatureNetworkPerceptual(net);
        var y = InversionTestModels.Images(10, 2, 1, 8, float64);
        var x = InversionTestModels.Images(11, 2, 1, 8, float64);
        var targets = PerceptualLoss.Targets(phi, y);
        GradCheck.AssertMatches(t => GradCheck.Weighted(PerceptualLoss.Loss(phi, t, y)), x, tolerance: 1e-5);
        GradCheck.AssertMatches(t => GradCheck.Weighted(PerceptualLoss.Loss(phi, t, targets)), x, tolerance: 1e-5);
        GradCheck.AssertMatches(t => GradCheck.Weighted(PerceptualLoss.Distance(phi, t, y)), x, tolerance: 1e-5);
    }

    [Fact]
    public void UnitNormaliseMakesEveryFeatureVectorUnitLength()
    {
        using var scope = NewDisposeScope();
        var f = InversionTestModels.Images(12, 2, 5, 3) + 2; // positive, [2, 5, 3, 3]
        var norms = PerceptualLoss.UnitNormalise(f).square().sum(1).sqrt();
        Assert.True(norms.allclose(ones_like(norms), rtol: 1e-5, atol: 1e-6));
    }
}
