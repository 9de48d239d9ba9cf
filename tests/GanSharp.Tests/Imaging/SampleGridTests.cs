using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Tests.Imaging;

public class SampleGridTests
{
    [Theory]
    [InlineData(16, 28, 28, null, 2, 1, 4, 4)]
    [InlineData(10, 8, 6, 4, 1, 2, 3, 4)]
    [InlineData(3, 5, 5, 8, 0, 1, 1, 3)]
    public void LayoutArithmetic(int n, int h, int w, int? cols, int pad, int scale, int rows, int columns)
    {
        var l = GridLayout.Compute(n, h, w, new GridOptions(Columns: cols, Padding: pad, Scale: scale), textAvailable: false);
        Assert.Equal((rows, columns), (l.Rows, l.Columns));
        Assert.Equal(columns * w * scale + (columns + 1) * pad, l.Width);
        Assert.Equal(rows * h * scale + (rows + 1) * pad, l.Height);
        Assert.Equal(pad, l.CellX(0));
        Assert.Equal(pad + (n - 1) / columns * (h * scale + pad), l.CellY(n - 1));
    }

    [Fact]
    public void WritesGridOfTheComputedSizeWithCellsInPlace()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var batch = full(new long[] { 5, 3, 4, 6 }, -1f); // [N, C, H, W] black
        batch[3] = ones(3, 4, 6); // fourth cell white
        var o = new GridOptions(Columns: 3, Padding: 2, Background: RgbColor.Parse("#808080"));
        var path = dir.File("grid.png");
        SampleGrid.WritePng(batch, path, o);
        var img = ImageReader.Read(path);
        var l = SampleGrid.LayoutOf(batch, o);
        Assert.Equal((l.Height, l.Width), (img.Height, img.Width));
        Assert.Equal((2 * 4 + 3 * 2, 3 * 6 + 4 * 2), (img.Height, img.Width));
        float At(int x, int y) => img.Pixels[y * img.Width + x];
        Assert.Equal(-1f, At(l.CellX(0), l.CellY(0)));
        Assert.Equal(1f, At(l.CellX(3) + 1, l.CellY(3) + 1));
        Assert.Equal(128 / 127.5f - 1, At(0, 0), 3); // padding
    }

    [Fact]
    public void CaptionsAndTitleDoNotCrashAndAddBands()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var batch = rand(new long[] { 4, 1, 16, 16 }) * 2 - 1;
        var o = new GridOptions(Captions: new[] { "one", "a very long caption that must be shortened", "", "ünïcödé ✓" }, Title: "Epoch 3 — samples", Scale: 2);
        var path = dir.File("cap.png");
        SampleGrid.WritePng(batch, path, o);
        var header = ImageReader.ReadHeader(path);
        var l = SampleGrid.LayoutOf(batch, o);
        Assert.Equal((l.Width, l.Height), (header.Width, header.Height));
        if (CaptionFont.IsAvailable)
        {
            Assert.True(l.CaptionHeight > 0 && l.TitleHeight > 0);
            Assert.True(header.Height > 2 * 32 + 3 * 2);
        }
        // Without text the bands vanish.
        var plain = GridLayout.Compute(4, 16, 16, o, textAvailable: false);
        Assert.Equal(2 * 32 + 3 * 2, plain.Height);
    }

    [Fact]
    public void DejaVuFromDebianRendersGlyphs()
    {
        // On the project's Debian machines fonts-dejavu-core is installed; elsewhere this only checks there is no crash.
        if (File.Exists(CaptionFont.DebianDejaVuSans))
        {
            Assert.True(CaptionFont.IsAvailable);
            using var tf = SkiaSharp.SKTypeface.FromFile(CaptionFont.DebianDejaVuSans);
            Assert.True(CaptionFont.DrawsGlyphs(tf));
        }
        else _ = CaptionFont.IsAvailable;
    }
}
