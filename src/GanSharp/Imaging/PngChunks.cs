using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace GanSharp.Imaging;

/// <summary>
/// Tells a damaged PNG from a truncated one, for the error message: walks the chunks (length, type, data, CRC-32) and
/// names the first one that ends past the file (truncated) or whose CRC does not match (corrupt).
/// </summary>
public static class PngChunks
{
    static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Whether <paramref name="bytes"/> start with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 && bytes[..8].SequenceEqual(Signature);

    /// <summary>
    /// The first problem of a PNG's chunk structure, as the end of a sentence ("is corrupt: …" / "is truncated: …"),
    /// or null when every chunk is whole and its CRC matches (or the bytes are not a PNG).
    /// </summary>
    public static string? Diagnose(ReadOnlySpan<byte> bytes)
    {
        if (!IsPng(bytes)) return null;
        long pos = 8;
        while (pos < bytes.Length)
        {
            if (pos + 8 > bytes.Length) return $"is truncated: the chunk header at byte {pos} is cut off ({bytes.Length} bytes)";
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice((int)pos, 4));
            string type = Encoding.ASCII.GetString(bytes.Slice((int)pos + 4, 4));
            if (length > int.MaxValue || pos + 12 + length > bytes.Length)
                return $"is truncated: PNG chunk '{type}' at byte {pos} needs {length} data bytes and its CRC, but the file ends at byte {bytes.Length}";
            var typeAndData = bytes.Slice((int)pos + 4, 4 + (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice((int)(pos + 8 + length), 4));
            if (Crc32.HashToUInt32(typeAndData) != stored)
                return $"is corrupt: PNG chunk '{type}' at byte {pos} fails its CRC-32 check";
            if (type == "IEND") return null;
            pos += 12 + length;
        }
        return "is truncated: the PNG ends without its IEND chunk";
    }
}
