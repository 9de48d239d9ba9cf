using System.Buffers.Binary;
using GanSharp.Data;

namespace GanSharp.Tests.Data;

/// <summary>An in-memory dataset whose pixel values encode the item index, for checking batches exactly.</summary>
sealed class SyntheticDataset(int count, int channels = 1, int size = 4, int classes = 3, Func<int, int>? labelOf = null, Func<int, string>? idOf = null) : IImageDataset
{
    public Func<int, Exception?> FailAt { get; init; } = _ => null;
    public string Name => "synthetic";
    public int Count => count;
    public int Channels => channels;
    public int Height => size;
    public int Width => size;
    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => "c" + c).ToArray();

    /// <summary>The value every pixel of item <paramref name="index"/> holds.</summary>
    public static float ValueOf(int index) => index / 1000f;

    public void CopyPixels(int index, Span<float> destination)
    {
        if (FailAt(index) is Exception e) throw e;
        destination[..(channels * size * size)].Fill(ValueOf(index));
    }

    public int LabelOf(int index) => labelOf?.Invoke(index) ?? (classes == 0 ? -1 : index % classes);
    public string IdOf(int index) => idOf?.Invoke(index) ?? "#" + index;
}

/// <summary>Writes small IDX files for the reader tests.</summary>
static class IdxFiles
{
    public static byte[] Build(int magic, int[] dims, byte[] payload)
    {
        // Deliberately unchecked (tests build inconsistent files); IdxWriter.Encode is the checked form.
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] raw) => IdxWriter.Gzip(raw);

    public static byte[] Images(int n, int h, int w) =>
        Build(IdxReader.ImageMagic, new[] { n, h, w }, Enumerable.Range(0, n * h * w).Select(i => (byte)(i % 256)).ToArray());

    public static byte[] Labels(int n) => Build(IdxReader.LabelMagic, new[] { n }, Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray());
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("gansharp-test-").FullName;

    public string Write(string name, byte[] bytes)
    {
        string p = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
