using GanSharp.Data;

namespace GanSharp.Tests.Methods.Anomaly;

/// <summary>
/// A synthetic one-class task: 28x28 gray stripes of period 4 and fixed phase with a little deterministic noise;
/// horizontal stripes are the normal pattern, vertical stripes the anomaly.
/// </summary>
sealed class Stripes : IImageDataset
{
    readonly bool vertical;
    readonly int offset;

    public Stripes(int count, bool vertical, int offset = 0)
    {
        Count = count;
        this.vertical = vertical;
        this.offset = offset;
    }

    public string Name => vertical ? "vertical-stripes" : "horizontal-stripes";
    public int Count { get; }
    public int Channels => 1;
    public int Height => 28;
    public int Width => 28;
    public IReadOnlyList<string> ClassNames => Array.Empty<string>();

    public void CopyPixels(int index, Span<float> destination)
    {
        int k = index + offset;
        int phase = 0;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                int t = vertical ? x : y;
                uint h = (uint)(k * 7919 + y * 28 + x) * 2654435761u;
                float noise = ((h >> 16) % 1000) / 1000f * 0.2f - 0.1f;
                destination[y * 28 + x] = ((t + phase) % 4 < 2 ? 0.8f : -0.8f) + noise;
            }
    }

    public int LabelOf(int index) => -1;
    public string IdOf(int index) => "#" + index;

    /// <summary>Normal test images (unseen phases/offsets) followed by anomalies, with labels.</summary>
    public static (Subset Data, bool[] IsAnomaly) TestSet(int perClass)
    {
        var both = new Concat(new Stripes(perClass, vertical: false, offset: 1000), new Stripes(perClass, vertical: true, offset: 1000));
        return (both.Subset(Enumerable.Range(0, both.Count)), Enumerable.Range(0, 2 * perClass).Select(i => i >= perClass).ToArray());
    }

    sealed class Concat(IImageDataset a, IImageDataset b) : IImageDataset
    {
        public string Name => a.Name + "+" + b.Name;
        public int Count => a.Count + b.Count;
        public int Channels => a.Channels;
        public int Height => a.Height;
        public int Width => a.Width;
        public IReadOnlyList<string> ClassNames => Array.Empty<string>();
        public void CopyPixels(int index, Span<float> destination)
        {
            if (index < a.Count) a.CopyPixels(index, destination); else b.CopyPixels(index - a.Count, destination);
        }
        public int LabelOf(int index) => -1;
        public string IdOf(int index) => "#" + index;
    }
}
