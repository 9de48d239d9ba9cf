using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Tests.Imaging;

public class ImageWriterTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void PngRoundTripIsExactWithinOneStep(int channels)
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        var image = rand(new long[] { channels, 7, 5 }, generator: gen) * 2 - 1; // [C, H, W]
        var path = dir.File("rt.png");
        ImageWriter.WritePng(image, path);
        var back = ImageReader.ReadTensor(path, new ImageReadOptions(ImageModes.FromChannels(channels)));
        Assert.Equal(image.shape, back.shape);
        Assert.True((back - image).abs().max().item<float>() <= 1f / 255f + 1e-6f);
        Assert.Equal(channels, ImageReader.ReadHeader(path).SourceChannels);
    }

    [Fact]
    public void RefusesNaNAndLeavesNoFile()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var image = zeros(3, 4, 4);
        image[1, 2, 2] = tensor(float.NaN);
        var path = dir.File("nan.png");
        var e = Assert.Throws<GanSharpException>(() => ImageWriter.WritePng(image, path));
        Assert.Contains("NaN", e.Message);
        Assert.Contains("nan.png", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        var inf = full(new long[] { 2, 3, 4, 4 }, float.PositiveInfinity);
        Assert.Throws<GanSharpException>(() => SampleGrid.WritePng(inf, path));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AtomicWriteReplacesAndLeavesNoTempFile()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var path = dir.File("out.png");
        ImageWriter.WritePng(zeros(3, 2, 2), path);
        ImageWriter.WritePng(ones(3, 2, 2), path);
        Assert.Equal(new[] { "out.png" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(1f, ImageReader.Read(path).Pixels[0]);
    }

    [Fact]
    public void RefusesWrongShapes()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        Assert.Throws<GanSharpException>(() => ImageWriter.WritePng(zeros(2, 4, 4), dir.File("a.png")));
        Assert.Throws<GanSharpException>(() => ImageWriter.WritePng(zeros(4, 4), dir.File("a.png")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
