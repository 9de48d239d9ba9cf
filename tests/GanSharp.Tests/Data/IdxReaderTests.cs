using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabelsRawOrGzip(bool gzip)
    {
        using var dir = new TempFolder();
        byte[] Pack(byte[] b) => gzip ? IdxFiles.Gzip(b) : b;
        // The name does not say gzip: compression is detected from the bytes.
        string images = dir.Write("images.idx", Pack(IdxFiles.Images(5, 3, 2)));
        string labels = dir.Write("labels.idx", Pack(IdxFiles.Labels(5)));

        var (img, lab) = IdxReader.ReadImagesAndLabels(images, labels);

        Assert.Equal(new[] { 5, 3, 2 }, img.Dimensions);
        Assert.Equal(5, img.Count);
        Assert.Equal(6, img.ItemSize);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (byte)i), img.Data);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, lab.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedPayloadIsReportedWithSizes(bool gzip)
    {
        using var dir = new TempFolder();
        var full = IdxFiles.Images(4, 2, 2);
        var cut = full[..^3];
        string p = dir.Write("cut.idx", gzip ? IdxFiles.Gzip(cut) : cut);

        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));

        Assert.Contains(p, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("16 bytes but only 13", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        using var dir = new TempFolder();
        string p = dir.Write("h.idx", IdxFiles.Images(4, 2, 2)[..9]);
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains("truncated header", e.Message);
        Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(dir.Write("tiny.idx", new byte[] { 0, 0 })));
        Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(dir.Write("empty.idx", Array.Empty<byte>())));
    }

    [Fact]
    public void WrongMagicIsReported()
    {
        using var dir = new TempFolder();
        var bytes = IdxFiles.Images(2, 2, 2);
        bytes[0] = 0x12;
        string p = dir.Write("m.idx", bytes);
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains("wrong magic", e.Message);
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void UnsupportedDataTypeIsReported()
    {
        using var dir = new TempFolder();
        string p = dir.Write("f.idx", IdxFiles.Build(0x00000D03, new[] { 1, 1, 1 }, new byte[4]));
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains("unsupported data type 0x0D (float32)", e.Message);
    }

    [Fact]
    public void LabelFileWhereImagesExpectedIsReported()
    {
        using var dir = new TempFolder();
        string p = dir.Write("l.idx", IdxFiles.Labels(3));
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains("has 1 dimensions, expected 3", e.Message);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        using var dir = new TempFolder();
        string p = dir.Write("t.idx", IdxFiles.Labels(3).Concat(new byte[] { 9 }).ToArray());
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadLabels(p));
        Assert.Contains("more bytes follow", e.Message);
    }

    [Fact]
    public void CorruptGzipIsAGanSharpException()
    {
        using var dir = new TempFolder();
        var gz = IdxFiles.Gzip(IdxFiles.Images(50, 8, 8));
        for (int i = 12; i < gz.Length - 8; i += 3) gz[i] ^= 0x5A;   // damage the deflate stream, keep the gzip header
        string p = dir.Write("bad.gz", gz);
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void CutGzipIsAGanSharpException()
    {
        using var dir = new TempFolder();
        var gz = IdxFiles.Gzip(IdxFiles.Images(50, 8, 8));
        string p = dir.Write("cut.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImages(p));
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void CountMismatchNamesBothFiles()
    {
        using var dir = new TempFolder();
        string images = dir.Write("i.idx", IdxFiles.Images(5, 2, 2));
        string labels = dir.Write("l.idx", IdxFiles.Labels(4));
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadImagesAndLabels(images, labels));
        Assert.Contains("5 images", e.Message);
        Assert.Contains("4 labels", e.Message);
        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<GanSharpException>(() => IdxReader.ReadLabels("/nonexistent/x.idx"));
        Assert.Contains("/nonexistent/x.idx", e.Message);
    }
}
