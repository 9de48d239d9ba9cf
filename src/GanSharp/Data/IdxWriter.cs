using System.Buffers.Binary;
using System.IO.Compression;
using GanSharp.IO;

namespace GanSharp.Data;

/// <summary>Writes unsigned-byte IDX files (the format <see cref="IdxReader"/> reads), raw or gzip-compressed, atomically.</summary>
public static class IdxWriter
{
    /// <summary>The file bytes of an IDX array: magic <c>00 00 08 DD</c>, big-endian sizes, payload.</summary>
    public static byte[] Encode(IReadOnlyList<int> dimensions, ReadOnlySpan<byte> payload)
    {
        long expected = dimensions.Aggregate(1L, (a, b) => a * b);
        if (expected != payload.Length)
            throw new ArgumentException($"payload holds {payload.Length} bytes but the dimensions need {expected}");
        var bytes = new byte[4 + 4 * dimensions.Count + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x0800 | dimensions.Count);
        for (int i = 0; i < dimensions.Count; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        payload.CopyTo(bytes.AsSpan(4 + 4 * dimensions.Count));
        return bytes;
    }

    /// <summary>Gzip-compresses <paramref name="raw"/>.</summary>
    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    /// <summary>Writes an IDX file; gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void Write(string path, IReadOnlyList<int> dimensions, ReadOnlySpan<byte> payload)
    {
        var raw = Encode(dimensions, payload);
        AtomicFile.WriteAllBytes(path, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gzip(raw) : raw);
    }
}
