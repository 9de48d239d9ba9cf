using GanSharp.Data;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

/// <summary>Images a tiny generator made, as a dataset (the "real" images of the encoder and PadInv tests).</summary>
sealed class GeneratedDataset(Tensor images) : IImageDataset
{
    readonly float[] pixels = images.contiguous().data<float>().ToArray();
    public string Name => "generated";
    public int Count => (int)images.shape[0];
    public int Channels => (int)images.shape[1];
    public int Height => (int)images.shape[2];
    public int Width => (int)images.shape[3];
    public IReadOnlyList<string> ClassNames { get; } = Array.Empty<string>();
    public void CopyPixels(int index, Span<float> destination)
    {
        int n = Channels * Height * Width;
        pixels.AsSpan(index * n, n).CopyTo(destination);
    }
    public int LabelOf(int index) => -1;
    public string IdOf(int index) => "#" + index;

    /// <summary><paramref name="n"/> images of random codes from a private seed (zero noise maps). // [n, C, H, W]</summary>
    public static Tensor Images(IGenerator g, int n, ulong seed)
    {
        using var _ = no_grad();
        var noise = g.NoiseShapes.Select(s => zeros(new long[] { 1 }.Concat(s).ToArray())).ToList();
        return g.Synthesize(g.Map(randn(new long[] { n, g.LatentSize }, generator: new Generator(seed))), noise.Count > 0 ? noise : null);
    }
}
