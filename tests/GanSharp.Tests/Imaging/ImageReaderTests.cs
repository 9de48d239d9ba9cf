using GanSharp.Imaging;
using SkiaSharp;

namespace GanSharp.Tests.Imaging;

public class ImageReaderTests
{
    static float S(float b) => b / 127.5f - 1f;

    [Fact]
    public void ReadsRgbAsChwInSignedRange()
    {
        using var dir = new TempDir();
        var path = TestImages.Write(dir.File("a.png"), 3, 2, (x, y) => new SKColor((byte)(x * 100), (byte)(y * 200), 50));
        var img = ImageReader.Read(path);
        Assert.Equal((3, 2, 3), (img.Channels, img.Height, img.Width));
        // pixel (x=2, y=1): R=200, G=200, B=50; CHW index c*H*W + y*W + x
        Assert.Equal(S(200), img.Pixels[0 * 6 + 1 * 3 + 2], 5);
        Assert.Equal(S(200), img.Pixels[1 * 6 + 1 * 3 + 2], 5);
        Assert.Equal(S(50), img.Pixels[2 * 6 + 1 * 3 + 2], 5);
        using var t = ImageReader.ReadTensor(path);
        Assert.Equal(new long[] { 3, 2, 3 }, t.shape);
    }

    [Fact]
    public void ReadsGrayFromGrayAndFromColour()
    {
        using var dir = new TempDir();
        var g = TestImages.Write(dir.File("g.png"), 2, 2, (_, _) => new SKColor(100, 100, 100), gray: true);
        Assert.Equal(1, ImageReader.ReadHeader(g).SourceChannels);
        var img = ImageReader.Read(g, new ImageReadOptions(ImageMode.Gray));
        Assert.Equal(1, img.Channels);
        Assert.All(img.Pixels, v => Assert.Equal(S(100), v, 4));
        var c = TestImages.Solid(dir.File("c.png"), 2, 2, new SKColor(255, 0, 0));
        var red = ImageReader.Read(c, new ImageReadOptions(ImageMode.Gray));
        Assert.Equal(S(0.299f * 255), red.Pixels[0], 4);
    }

    [Fact]
    public void CompositesAlphaOnTheChosenBackground()
    {
        using var dir = new TempDir();
        var p = TestImages.Write(dir.File("a.png"), 2, 1, (x, _) => x == 0 ? new SKColor(255, 0, 0, 0) : new SKColor(0, 0, 255, 255), alpha: true);
        var onWhite = ImageReader.Read(p);
        Assert.Equal(new[] { 1f, -1f, 1f, -1f, 1f, 1f }, onWhite.Pixels); // R plane, G plane, B plane
        var onBlack = ImageReader.Read(p, new ImageReadOptions(Background: RgbColor.Black));
        Assert.Equal(-1f, onBlack.Pixels[0]);
        Assert.Null(onWhite.Alpha);
    }

    [Fact]
    public void SplitsAlphaIntoAMask()
    {
        using var dir = new TempDir();
        var p = TestImages.Write(dir.File("a.png"), 2, 1, (x, _) => x == 0 ? new SKColor(0, 0, 0, 0) : new SKColor(200, 100, 50, 128), alpha: true);
        var (rgb, alpha) = ImageReader.ReadTensorWithAlpha(p);
        Assert.Equal(new long[] { 3, 1, 2 }, rgb.shape);
        Assert.Equal(new long[] { 1, 1, 2 }, alpha.shape);
        Assert.Equal(0f, alpha[0, 0, 0].item<float>());
        Assert.Equal(128 / 255f, alpha[0, 0, 1].item<float>(), 4);
        // Colour is un-premultiplied: within 2/255 of the original despite alpha 128.
        Assert.InRange(rgb[0, 0, 1].item<float>(), S(198), S(202));
    }

    [Fact]
    public void SplitRefusesAnImageWithoutAlpha()
    {
        using var dir = new TempDir();
        var p = TestImages.Solid(dir.File("opaque.png"), 2, 2, SKColors.Red);
        var e = Assert.Throws<GanSharpException>(() => ImageReader.Read(p, new ImageReadOptions(Alpha: AlphaPolicy.Split)));
        Assert.Contains("opaque.png", e.Message);
        Assert.Contains("no alpha", e.Message);
        Assert.Throws<GanSharpException>(() => ImageModes.FromChannels(4));
    }

    [Fact]
    public void ReadsJpegBmpWebpGif()
    {
        using var dir = new TempDir();
        foreach (var (fmt, ext) in new[] { (SKEncodedImageFormat.Jpeg, "jpg"), (SKEncodedImageFormat.Webp, "webp") })
        {
            var p = TestImages.Write(dir.File("x." + ext), 8, 8, (_, _) => new SKColor(10, 200, 30), fmt);
            var img = ImageReader.Read(p);
            Assert.InRange(img.Pixels[64], S(190), S(210));
            Assert.Equal(ext == "jpg" ? "jpeg" : ext, ImageReader.ReadHeader(p).Format);
        }
        // Skia cannot encode BMP or GIF: use minimal hand-made files in those formats.
        var bmp = dir.File("x.bmp");
        File.WriteAllBytes(bmp, Bmp1x1(0x11, 0x22, 0x33));
        var b = ImageReader.Read(bmp);
        Assert.Equal(S(0x11), b.Pixels[0], 4);
        var gif = dir.File("x.gif");
        File.WriteAllBytes(gif, Convert.FromBase64String("R0lGODlhAQABAIAAAP8AAP///yH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=="));
        var g = ImageReader.Read(gif);
        Assert.Equal(1f, g.Pixels[0]); // red
        Assert.Equal("gif", ImageReader.ReadHeader(gif).Format);
    }

    static byte[] Bmp1x1(byte r, byte g, byte b)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((byte)'B'); w.Write((byte)'M'); w.Write(58); w.Write(0); w.Write(54);
        w.Write(40); w.Write(1); w.Write(1); w.Write((short)1); w.Write((short)24); w.Write(0); w.Write(4); w.Write(2835); w.Write(2835); w.Write(0); w.Write(0);
        w.Write(b); w.Write(g); w.Write(r); w.Write((byte)0);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(ResizePolicy.Stretch, 6, 4)]
    [InlineData(ResizePolicy.CenterCrop, 6, 4)]
    [InlineData(ResizePolicy.Letterbox, 6, 4)]
    [InlineData(ResizePolicy.CenterCrop, 3, 7)]
    public void EveryResizePolicyGivesTheTargetSize(ResizePolicy policy, int w, int h)
    {
        using var dir = new TempDir();
        var p = TestImages.Solid(dir.File("s.png"), 10, 5, SKColors.Green);
        var img = ImageReader.Read(p, new ImageReadOptions(Width: w, Height: h, Resize: policy));
        Assert.Equal((h, w), (img.Height, img.Width));
    }

    [Fact]
    public void ResizePoliciesPlaceKnownPixels()
    {
        using var dir = new TempDir();
        // 4x2: columns 0..3 = red, green, blue, white
        var cols = new[] { SKColors.Red, SKColors.Lime, SKColors.Blue, SKColors.White };
        var p = TestImages.Write(dir.File("k.png"), 4, 2, (x, _) => cols[x]);
        // CenterCrop to 2x2 keeps the middle columns (green, blue) unscaled.
        var crop = ImageReader.Read(p, new ImageReadOptions(Width: 2, Height: 2, Resize: ResizePolicy.CenterCrop));
        // planes of 4 values: R = [-1, -1, ..], G = [1 (green), -1 (blue), ..], B = [-1, 1, ..]
        Assert.Equal(new[] { -1f, -1f, 1f, -1f, -1f, 1f }, new[] { crop.Pixels[0], crop.Pixels[1], crop.Pixels[4], crop.Pixels[5], crop.Pixels[8], crop.Pixels[9] });
        // Letterbox to 4x4 puts the image in rows 1..2 over black padding in rows 0 and 3.
        var box = ImageReader.Read(p, new ImageReadOptions(Width: 4, Height: 4, Resize: ResizePolicy.Letterbox, Background: RgbColor.Black));
        Assert.Equal(-1f, box.Pixels[0]);            // R at (0,0): padding
        Assert.Equal(1f, box.Pixels[1 * 4 + 0]);     // R at (0,1): red
        Assert.Equal(-1f, box.Pixels[3 * 4 + 3]);    // R at (3,3): padding
        // Stretch of a uniform image stays uniform.
        var solid = TestImages.Solid(dir.File("u.png"), 5, 3, new SKColor(40, 80, 120));
        var st = ImageReader.Read(solid, new ImageReadOptions(Width: 9, Height: 2, Resize: ResizePolicy.Stretch));
        Assert.All(st.Pixels[..18], v => Assert.Equal(S(40), v, 2));
    }

    static GanSharpException Refused(string path, ImageReadOptions? o = null)
    {
        var e = Assert.Throws<GanSharpException>(() => ImageReader.Read(path, o));
        Assert.Contains(Path.GetFileName(path), e.Message);
        return e;
    }

    [Fact]
    public void RefusesGarbageEmptyAndMissingFilesNamingThem()
    {
        using var dir = new TempDir();
        var garbage = dir.File("garbage.png");
        File.WriteAllBytes(garbage, System.Text.Encoding.ASCII.GetBytes("this is not an image at all, just text"));
        Assert.Contains("not an image", Refused(garbage).Message);
        var empty = dir.File("empty.png");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Assert.Contains("empty", Refused(empty).Message);
        Assert.Contains("not found", Refused(dir.File("missing.png")).Message);
    }

    [Fact]
    public void RefusesTruncatedFiles()
    {
        using var dir = new TempDir();
        var good = TestImages.Write(dir.File("good.png"), 64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var bytes = File.ReadAllBytes(good);
        var half = dir.File("half.png");
        File.WriteAllBytes(half, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", Refused(half).Message);
        var header = dir.File("header.png");
        File.WriteAllBytes(header, bytes[..20]);
        Refused(header);
        var jpg = TestImages.Write(dir.File("good.jpg"), 64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 9), SKEncodedImageFormat.Jpeg);
        var jb = File.ReadAllBytes(jpg);
        var cut = dir.File("cut.jpg");
        File.WriteAllBytes(cut, jb[..(jb.Length * 2 / 3)]);
        Refused(cut);
    }

    /// <summary>A PNG with a flipped byte is said to be corrupt (naming the chunk whose CRC fails), not truncated; a cut one is truncated.</summary>
    [Fact]
    public void TellsACorruptPngFromATruncatedOne()
    {
        using var dir = new TempDir();
        var good = TestImages.Write(dir.File("good.png"), 64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var bytes = File.ReadAllBytes(good);
        Assert.Null(PngChunks.Diagnose(bytes));
        int idat = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("IDAT", StringComparison.Ordinal);
        Assert.True(idat > 0);
        var flipped = (byte[])bytes.Clone();
        flipped[idat + 20] ^= 0x5A;                              // inside IDAT's data: only its CRC can tell
        var corrupt = dir.File("corrupt.png");
        File.WriteAllBytes(corrupt, flipped);
        var e = Refused(corrupt);
        Assert.Contains("is corrupt: PNG chunk 'IDAT'", e.Message);
        Assert.DoesNotContain("truncated", e.Message);
        Assert.Contains("fails its CRC-32 check", PngChunks.Diagnose(flipped));
        Assert.StartsWith("is truncated: PNG chunk 'IDAT'", PngChunks.Diagnose(bytes.AsSpan(0, idat + 30)));
        Assert.Null(PngChunks.Diagnose(System.Text.Encoding.ASCII.GetBytes("not a png")));
    }

    [Fact]
    public void RefusesBombDimensionsFromTheHeader()
    {
        using var dir = new TempDir();
        var bomb = dir.File("bomb.png");
        File.WriteAllBytes(bomb, TestImages.BombPng(60000, 60000));
        var e = Refused(bomb);
        Assert.Contains("60000x60000", e.Message);
        Assert.Throws<GanSharpException>(() => ImageReader.ReadHeader(bomb));
        // A lowered limit refuses an ordinary image too.
        var small = TestImages.Solid(dir.File("small.png"), 20, 10, SKColors.Red);
        Assert.Contains("limit", Refused(small, new ImageReadOptions(Limits: new ImageLimits(MaxWidth: 16))).Message);
        Assert.Contains("limit", Refused(small, new ImageReadOptions(Limits: new ImageLimits(MaxPixels: 100))).Message);
    }

    [Fact]
    public void OptionsValidate()
    {
        Assert.Throws<GanSharpException>(() => new ImageReadOptions(Width: 4).Validate());
        Assert.Throws<GanSharpException>(() => new ImageReadOptions(Width: 0, Height: 4).Validate());
        Assert.Throws<GanSharpException>(() => new ImageLimits(MaxPixels: 0).Validate());
        Assert.Equal(new RgbColor(0x12, 0x34, 0x56), RgbColor.Parse("#123456"));
        Assert.Throws<GanSharpException>(() => RgbColor.Parse("nope"));
    }
}
