using GanSharp.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Imaging;

public class MaskAndColorTests
{
    [Fact]
    public void LuminanceMaskThresholdsAndResizesNearest()
    {
        using var dir = new TempDir();
        // 4x2: left half white, right half dark gray (60)
        var p = TestImages.Write(dir.File("m.png"), 4, 2, (x, _) => x < 2 ? SKColors.White : new SKColor(60, 60, 60));
        var m = MaskReader.Read(p);
        Assert.Equal(new long[] { 1, 2, 4 }, m.shape);
        Assert.Equal(new[] { 1f, 1f, 0f, 0f, 1f, 1f, 0f, 0f }, m.data<float>().ToArray());
        var low = MaskReader.Read(p, new MaskOptions(Threshold: 0.2f));
        Assert.Equal(8f, low.sum().item<float>());
        var inv = MaskReader.Read(p, new MaskOptions(Invert: true, Width: 8, Height: 4));
        Assert.Equal(new long[] { 1, 4, 8 }, inv.shape);
        var v = inv.data<float>().ToArray();
        Assert.All(v, x => Assert.True(x is 0f or 1f));
        Assert.Equal(new[] { 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f }, v[..8]);
    }

    [Fact]
    public void AlphaMaskUsesAlphaAndRefusesOpaqueImages()
    {
        using var dir = new TempDir();
        var p = TestImages.Write(dir.File("a.png"), 2, 1, (x, _) => x == 0 ? new SKColor(0, 0, 0, 255) : new SKColor(255, 255, 255, 10), alpha: true);
        Assert.Equal(new[] { 1f, 0f }, MaskReader.Read(p).data<float>().ToArray()); // Auto → alpha
        var opaque = TestImages.Solid(dir.File("opaque.png"), 2, 2, SKColors.White);
        var e = Assert.Throws<GanSharpException>(() => MaskReader.Read(opaque, new MaskOptions(MaskSource.Alpha)));
        Assert.Contains("opaque.png", e.Message);
    }

    [Fact]
    public void ColourConversions()
    {
        using var scope = NewDisposeScope();
        var rgb = tensor(new float[] { 1, -1, -1 }, new long[] { 1, 3, 1, 1 }); // [N, C, H, W] pure red
        var gray = ColorOps.RgbToGray(rgb);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, gray.shape);
        Assert.Equal(0.299f * 1 + 0.701f * -1, gray.item<float>(), 5);
        Assert.Equal(new long[] { 3, 2, 2 }, ColorOps.GrayToRgb(zeros(1, 2, 2)).shape);
        Assert.Equal(0.5f, ColorOps.ToUnitRange(tensor(0f)).item<float>());
        Assert.Equal(-1f, ColorOps.ToSignedRange(tensor(0f)).item<float>());
        Assert.Equal((byte)255, ColorOps.ToBytes(tensor(1f)).item<byte>());
        Assert.Equal(1f, ColorOps.FromBytes(tensor((byte)255)).item<float>());
        Assert.Throws<GanSharpException>(() => ColorOps.RgbToGray(zeros(2, 2, 2)));
    }
}
