using GanSharp.Data;
using GanSharp.Diagnostics;
using GanSharp.Imaging;
using GanSharp.Tests.Imaging;
using SkiaSharp;

namespace GanSharp.Tests.Data;

public class ImageFolderDatasetTests
{
    [Fact]
    public void SubfoldersAreClassesInOrdinalOrder()
    {
        using var dir = new TempDir();
        TestImages.Solid(dir.File("dogs/b.png"), 8, 6, SKColors.Blue);
        TestImages.Solid(dir.File("dogs/a.png"), 8, 6, SKColors.Blue);
        TestImages.Solid(dir.File("cats/x/1.png"), 5, 5, SKColors.Red);
        TestImages.Solid(dir.File("Zebras/z.png"), 5, 5, SKColors.White);
        File.WriteAllText(dir.File("cats/readme.txt"), "not an image");
        TestImages.Solid(dir.File(".hidden/h.png"), 5, 5, SKColors.White);
        var ds = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 4, Height: 4));
        Assert.Equal(new[] { "Zebras", "cats", "dogs" }, ds.ClassNames);
        Assert.Equal(4, ds.Count);
        Assert.Equal(new[] { "Zebras/z.png", "cats/x/1.png", "dogs/a.png", "dogs/b.png" }, Enumerable.Range(0, 4).Select(ds.IdOf));
        Assert.Equal(new[] { 0, 1, 2, 2 }, Enumerable.Range(0, 4).Select(ds.LabelOf));
        var px = new float[3 * 4 * 4];
        ds.CopyPixels(1, px);
        Assert.Equal(1f, px[0]);   // red
        Assert.Equal(-1f, px[16]); // no green
        ds.CopyPixels(1, px);       // from the cache
        Assert.Equal(1f, px[0]);
        var again = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 4, Height: 4));
        Assert.Equal(Enumerable.Range(0, 4).Select(ds.IdOf), Enumerable.Range(0, 4).Select(again.IdOf));
    }

    /// <summary>Reading a folder says what it changes: colour read as gray (or gray as RGB), sizes resized; nothing when nothing changes.</summary>
    [Fact]
    public void OpeningAFolderSaysWhichImagesAreConvertedOrResized()
    {
        using var dir = new TempDir();
        TestImages.Solid(dir.File("a.png"), 40, 40, SKColors.Red);
        ImageWriter.WritePng(TorchSharp.torch.zeros(1, 32, 32), dir.File("b.png"));
        var lines = new List<string>();
        var previous = Log.SetSink(l => { lock (lines) lines.Add(l); });
        try
        {
            ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 32, Height: 32, Mode: ImageMode.Gray));
            Assert.Contains(lines, l => l.Contains("1 of 2 image(s) are colour and are read as gray (luma)") && l.Contains("a.png"));
            Assert.Contains(lines, l => l.Contains("1 of 2 image(s) are not 32×32 (40×40) and are resized (CenterCrop)"));
            lines.Clear();
            ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 40, Height: 40, Mode: ImageMode.Rgb));
            Assert.Contains(lines, l => l.Contains("1 of 2 image(s) are gray and are read as RGB") && l.Contains("b.png"));
            Assert.Contains(lines, l => l.Contains("1 of 2 image(s) are not 40×40 (32×32)"));
            lines.Clear();
            File.Delete(dir.File("a.png"));
            ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 32, Height: 32, Mode: ImageMode.Gray));
            Assert.DoesNotContain(lines, l => l.Contains("are read as") || l.Contains("resized"));
        }
        finally { Log.SetSink(previous); }
    }

    [Fact]
    public void FlatFolderIsUnlabelledGray()
    {
        using var dir = new TempDir();
        TestImages.Solid(dir.File("2.png"), 3, 3, SKColors.White);
        TestImages.Solid(dir.File("10.png"), 3, 3, SKColors.Black);
        var ds = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 2, Height: 2, Mode: ImageMode.Gray));
        Assert.Empty(ds.ClassNames);
        Assert.Equal((1, 2, 2), (ds.Channels, ds.Height, ds.Width));
        Assert.Equal(new[] { "10.png", "2.png" }, new[] { ds.IdOf(0), ds.IdOf(1) });
        Assert.Equal(-1, ds.LabelOf(0));
        var px = new float[4];
        ds.CopyPixels(0, px);
        Assert.All(px, v => Assert.Equal(-1f, v));
    }

    [Fact]
    public void BadFilesFailOrAreSkippedWithAWarning()
    {
        using var dir = new TempDir();
        TestImages.Solid(dir.File("good.png"), 3, 3, SKColors.White);
        File.WriteAllText(dir.File("bad.png"), "garbage");
        var e = Assert.Throws<GanSharpException>(() => ImageFolderDataset.Open(dir.Path));
        Assert.Contains("bad.png", e.Message);
        var lines = new List<string>();
        var old = Log.SetSink(lines.Add);
        try
        {
            var ds = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(BadFiles: BadImagePolicy.Skip));
            Assert.Equal(1, ds.Count);
            Assert.Equal("good.png", ds.IdOf(0));
        }
        finally { Log.SetSink(old); }
        Assert.Contains(lines, l => l.Contains("bad.png") && l.Contains("warning"));
    }

    [Fact]
    public void TruncatedFileFoundByFullValidationOrWhenRead()
    {
        using var dir = new TempDir();
        var good = TestImages.Write(dir.File("a.png"), 32, 32, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), 7));
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(dir.File("b.png"), bytes[..(bytes.Length / 2)]);
        var lazy = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 8, Height: 8));
        Assert.Equal(2, lazy.Count);
        var e = Assert.Throws<GanSharpException>(() => lazy.CopyPixels(1, new float[3 * 64]));
        Assert.Contains("b.png", e.Message);
        var old = Log.SetSink(_ => { });
        try
        {
            var full = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions(Width: 8, Height: 8, Validation: ImageValidation.Full, BadFiles: BadImagePolicy.Skip));
            Assert.Equal(1, full.Count);
        }
        finally { Log.SetSink(old); }
    }

    [Fact]
    public void MissingOrEmptyFolderIsRefused()
    {
        using var dir = new TempDir();
        Assert.Contains("not found", Assert.Throws<GanSharpException>(() => ImageFolderDataset.Open(dir.File("nope"))).Message);
        Assert.Contains("No images", Assert.Throws<GanSharpException>(() => ImageFolderDataset.Open(dir.Path)).Message);
    }
}
