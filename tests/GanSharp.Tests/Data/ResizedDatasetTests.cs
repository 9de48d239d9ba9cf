using GanSharp.Data;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Data;

public class ResizedDatasetTests
{
    public ResizedDatasetTests() => TorchRuntime.EnsureInitialized();

    static IImageDataset Bundled() => DatasetResolver.Resolve("bundled:fashion-mnist",
        new DatasetResolveOptions(BundledRoot: Path.Combine(Cli.DataCommandTests.Assets, "samples")));

    [Theory]
    [InlineData(32)]
    [InlineData(20)]
    public void MatchesTorchBilinearWithHalfPixelCentres(int size)
    {
        var data = Bundled();
        var resized = data.ResizeTo(size);
        Assert.Equal((1, size, size, data.Count), (resized.Channels, resized.Height, resized.Width, resized.Count));
        Assert.Equal(data.LabelOf(5), resized.LabelOf(5));
        var src = new float[28 * 28];
        var dst = new float[size * size];
        data.CopyPixels(5, src);
        resized.CopyPixels(5, dst);
        using var scope = NewDisposeScope();
        var reference = F.interpolate(tensor(src).view(1, 1, 28, 28), new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);
        Assert.True(tensor(dst).view(1, 1, size, size).allclose(reference, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SameSizeIsTheDatasetItselfAndExactSizeResolvesToTheRequestedSide()
    {
        var data = Bundled();
        Assert.Same(data, data.ResizeTo(28));
        var exact = DatasetResolver.Resolve("bundled:fashion-mnist",
            new DatasetResolveOptions(32, BundledRoot: Path.Combine(Cli.DataCommandTests.Assets, "samples"), ExactSize: true));
        Assert.Equal((32, 32), (exact.Height, exact.Width));
        Assert.Equal(28, Bundled().Height); // without ExactSize Fashion-MNIST keeps its native side
    }
}
