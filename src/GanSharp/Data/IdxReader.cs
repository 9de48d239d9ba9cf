using System.Buffers.Binary;
using System.IO.Compression;

namespace GanSharp.Data;

/// <summary>The contents of one IDX file: its dimensions and its unsigned bytes in row-major order.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Dimensions">Sizes from the header, outermost first (e.g. <c>[60000, 28, 28]</c>).</param>
/// <param name="Data">The payload, exactly the product of <paramref name="Dimensions"/> bytes.</param>
public sealed record IdxArray(string Path, IReadOnlyList<int> Dimensions, byte[] Data)
{
    /// <summary>The outermost dimension: number of items.</summary>
    public int Count => Dimensions[0];

    /// <summary>Bytes per item (product of the inner dimensions; 1 for a label file).</summary>
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format): a 4-byte magic <c>00 00 TT DD</c> where TT is the data
/// type (only <c>0x08</c>, unsigned byte, is supported) and DD the number of dimensions, then DD big-endian
/// 32-bit sizes, then the payload. Files may be raw or gzip-compressed (detected by the bytes <c>1f 8b</c>,
/// not by the file name). Every defect is a <see cref="GanSharpException"/> naming the file and the problem.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic of a label file: unsigned bytes, one dimension.</summary>
    public const int LabelMagic = 0x00000801;

    /// <summary>Magic of an image file: unsigned bytes, three dimensions.</summary>
    public const int ImageMagic = 0x00000803;

    const int MaxDimensions = 8;

    /// <summary>Reads a label file (magic <c>0x00000801</c>): shape <c>[N]</c>.</summary>
    public static IdxArray ReadLabels(string path) => Read(path, expectedDimensions: 1);

    /// <summary>Reads an image file (magic <c>0x00000803</c>): shape <c>[N, H, W]</c>.</summary>
    public static IdxArray ReadImages(string path) => Read(path, expectedDimensions: 3);

    /// <summary>Reads an image file and its label file and checks that they hold the same number of items.</summary>
    public static (IdxArray Images, IdxArray Labels) ReadImagesAndLabels(string imagesPath, string labelsPath)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.Count != labels.Count)
            throw new GanSharpException(
                $"IDX count mismatch: {imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels",
                "the two files belong to different sets or one is damaged; download them again");
        return (images, labels);
    }

    /// <summary>Reads an unsigned-byte IDX file; <paramref name="expectedDimensions"/>, when given, must match the header.</summary>
    public static IdxArray Read(string path, int? expectedDimensions = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new GanSharpException($"IDX file not found: {path}");
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> sniff = stackalloc byte[2];
            int sniffed = ReadFully(file, sniff);
            file.Position = 0;
            bool gzip = sniffed == 2 && sniff[0] == 0x1f && sniff[1] == 0x8b;
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return ReadFrom(stream, path, gzip, expectedDimensions);
        }
        catch (GanSharpException) { throw; }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            // GZipStream reports damaged or cut-off archives as InvalidDataException (or IOException).
            throw new GanSharpException($"IDX file {path}: cannot decompress ({e.Message})",
                "the gzip archive is damaged or incomplete; download it again", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GanSharpException($"IDX file {path}: cannot read ({e.Message})", null, e);
        }
    }

    static IdxArray ReadFrom(Stream stream, string path, bool gzip, int? expectedDimensions)
    {
        string what = gzip ? "IDX file (gzip)" : "IDX file";
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(stream, magic);
        if (got < 4)
            throw new GanSharpException($"{what} {path}: truncated: {got} bytes, shorter than the 4-byte header");
        if (magic[0] != 0 || magic[1] != 0)
            throw new GanSharpException(
                $"{what} {path}: wrong magic 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} (expected 0x{LabelMagic:X8} or 0x{ImageMagic:X8})",
                "this is not an IDX file");
        if (magic[2] != 0x08)
            throw new GanSharpException(
                $"{what} {path}: unsupported data type 0x{magic[2]:X2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported");
        int rank = magic[3];
        if (rank < 1 || rank > MaxDimensions)
            throw new GanSharpException($"{what} {path}: invalid dimension count {rank}");
        if (expectedDimensions is int want && rank != want)
            throw new GanSharpException(
                $"{what} {path}: has {rank} dimensions, expected {want} (magic 0x{(want == 1 ? LabelMagic : 0x800 | want):X8})",
                want == 1 ? "expected a label file (…-labels-idx1-ubyte)" : "expected an image file (…-images-idx3-ubyte)");

        Span<byte> header = stackalloc byte[4 * rank];
        got = ReadFully(stream, header);
        if (got < header.Length)
            throw new GanSharpException($"{what} {path}: truncated header: {got} of {header.Length} dimension bytes");
        var dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 * i, 4));
            if (d > int.MaxValue)
                throw new GanSharpException($"{what} {path}: dimension {i} is {d}, too large");
            dims[i] = (int)d;
            total *= d;
            if (total > Array.MaxLength)
                throw new GanSharpException($"{what} {path}: declared size [{string.Join(", ", dims.Take(i + 1))}…] exceeds {Array.MaxLength} bytes");
        }

        var data = new byte[total];
        got = ReadFully(stream, data);
        if (got < total)
            throw new GanSharpException(
                $"{what} {path}: truncated: header declares [{string.Join(", ", dims)}] = {total} bytes but only {got} follow",
                "the file is incomplete; download it again");
        Span<byte> extra = stackalloc byte[1];
        if (ReadFully(stream, extra) > 0)
            throw new GanSharpException(
                $"{what} {path}: corrupt: more bytes follow the {total} that the header [{string.Join(", ", dims)}] declares");
        return new IdxArray(path, dims, data);
    }

    static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    static string TypeName(byte t) => t switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };
}
