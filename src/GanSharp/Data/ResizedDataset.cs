namespace GanSharp.Data;

/// <summary>
/// A view that resamples every image of another dataset to <see cref="Height"/>×<see cref="Width"/> with bilinear
/// interpolation at pixel centres (half-pixel mapping, edges clamped: <c>F.interpolate(mode: bilinear,
/// align_corners: false)</c>). Meant for small factors such as Fashion-MNIST's 28 px read as 32 px for StyleGAN; it
/// does not low-pass filter, so large reductions alias.
/// </summary>
public sealed class ResizedDataset : IImageDataset
{
    readonly IImageDataset source;
    readonly (int I0, int I1, float T)[] rows, cols;
    [ThreadStatic] static float[]? buffer;

    /// <summary>Creates the view.</summary>
    public ResizedDataset(IImageDataset source, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (height < 1 || width < 1 || height > 4096 || width > 4096) throw new GanSharpException($"resize of {source.Name} to {width}x{height}: size out of range");
        this.source = source;
        Height = height;
        Width = width;
        rows = Taps(source.Height, height);
        cols = Taps(source.Width, width);
        Name = $"{source.Name}@{width}x{height}";
    }

    static (int, int, float)[] Taps(int from, int to)
    {
        var taps = new (int, int, float)[to];
        double scale = (double)from / to;
        for (int o = 0; o < to; o++)
        {
            double s = Math.Max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.Min((int)s, from - 1), i1 = Math.Min(i0 + 1, from - 1);
            taps[o] = (i0, i1, (float)(s - i0));
        }
        return taps;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => source.Count;

    /// <inheritdoc/>
    public int Channels => source.Channels;

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => source.ClassNames;

    /// <inheritdoc/>
    public void CopyPixels(int index, Span<float> destination)
    {
        int c = source.Channels, sh = source.Height, sw = source.Width;
        if (destination.Length < c * Height * Width)
            throw new ArgumentException($"destination holds {destination.Length} floats; {c * Height * Width} needed", nameof(destination));
        var src = buffer is { } b && b.Length >= c * sh * sw ? b : buffer = new float[c * sh * sw];
        source.CopyPixels(index, src.AsSpan(0, c * sh * sw));
        for (int ch = 0; ch < c; ch++)
        {
            int plane = ch * sh * sw;
            for (int y = 0; y < Height; y++)
            {
                var (r0, r1, ty) = rows[y];
                for (int x = 0; x < Width; x++)
                {
                    var (c0, c1, tx) = cols[x];
                    float top = src[plane + r0 * sw + c0] * (1 - tx) + src[plane + r0 * sw + c1] * tx;
                    float bottom = src[plane + r1 * sw + c0] * (1 - tx) + src[plane + r1 * sw + c1] * tx;
                    destination[(ch * Height + y) * Width + x] = top * (1 - ty) + bottom * ty;
                }
            }
        }
    }

    /// <inheritdoc/>
    public int LabelOf(int index) => source.LabelOf(index);

    /// <inheritdoc/>
    public string IdOf(int index) => source.IdOf(index);
}
