namespace GanSharp.Models;

/// <summary>The shape of one image: channels, height, width (<c>[C, H, W]</c>).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The shape of a batch of <paramref name="n"/> images, <c>[N, C, H, W]</c>.</summary>
    public long[] Batch(long n) => new[] { n, Channels, Height, Width };

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
