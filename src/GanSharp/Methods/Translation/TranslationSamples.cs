using GanSharp.Models;
using GanSharp.Data;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation;

/// <summary>The sample grids every translation method draws: fixed real images of both domains and their round trips.</summary>
public static class TranslationSamples
{
    /// <summary>Refuses domain data of another shape than <paramref name="image"/>, the shape the networks are built for.</summary>
    public static void RequireShape(UnpairedDataset? source, ImageShape image, string method)
    {
        if (source is not null && (source.A.Channels != image.Channels || source.A.Height != image.Height || source.A.Width != image.Width))
            throw new GanSharpException($"{method}: the data is {source.A.Channels}x{source.A.Height}x{source.A.Width} but the networks are built for {image}");
    }

    /// <summary>
    /// Fixed real images <c>[2, K, C, H, W]</c>, K = min(<paramref name="count"/>, 8, the domains' size): evenly spaced
    /// items of domain A, then of domain B (no random stream is used, so the grid shows the same images in every run).
    /// </summary>
    public static Tensor FixedInputs(UnpairedDataset? source, int count, Device device, string method, out int columns)
    {
        if (source is null)
            throw new GanSharpException($"{method}: no data for the sample grids", "construct the method with the UnpairedDataset it trains on");
        int k = Math.Max(1, Math.Min(Math.Min(count, 8), source.Count));
        columns = k;
        var picks = Enumerable.Range(0, k).Select(i => (int)((long)i * source.Count / k)).ToArray();
        using var scope = NewDisposeScope();
        var a = DataLoader.LoadAll(new Subset(source.A, picks, source.A.Name + "(samples)")); // [K, C, H, W]
        var b = DataLoader.LoadAll(new Subset(source.B, picks, source.B.Name + "(samples)")); // [K, C, H, W]
        return stack(new[] { a, b }).to(device).MoveToOuterDisposeScope();                    // [2, K, C, H, W]
    }

    /// <summary>Rows A, A→B, A→B→A, B, B→A, B→A→B for fixed inputs <c>[2, K, C, H, W]</c>: <c>[6K, C, H, W]</c>.</summary>
    public static Tensor Grid(ITranslator translator, Tensor fixedInputs, Device device)
    {
        using var scope = NewDisposeScope();
        var a = fixedInputs[0].to(device); // [K, C, H, W]
        var b = fixedInputs[1].to(device); // [K, C, H, W]
        var ab = translator.Translate(a, TranslationDirection.AToB);
        var aba = translator.Translate(ab, TranslationDirection.BToA);
        var ba = translator.Translate(b, TranslationDirection.BToA);
        var bab = translator.Translate(ba, TranslationDirection.AToB);
        return cat(new[] { a, ab, aba, b, ba, bab }, 0).MoveToOuterDisposeScope(); // [6K, C, H, W]
    }
}
