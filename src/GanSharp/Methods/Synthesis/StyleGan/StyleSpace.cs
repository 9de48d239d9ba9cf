using GanSharp.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>
/// The w-space machinery shared by the StyleGAN and StyleGAN2 generators: the mapping network, the tracked mean w̄,
/// truncation, style mixing and the w → w+ broadcast. Pure functions over tensors; the generators own the modules.
/// </summary>
/// <remarks>Karras, Laine, Aila, CVPR 2019: mapping network (§2), style mixing (§3.1), truncation trick (§3.4).</remarks>
public static class StyleSpace
{
    /// <summary>PixelNorm, then <see cref="StyleGanConfig.MappingLayers"/> equalized linear layers with leaky ReLU at the mapping lr multiplier.</summary>
    public static Sequential BuildMapping(StyleGanConfig config)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("pixel_norm", new PixelNorm()) };
        for (int i = 0; i < config.MappingLayers; i++)
        {
            int fanIn = i == 0 ? config.LatentSize : config.StyleSize;
            layers.Add(($"fc{i}", new EqualizedLinear(fanIn, config.StyleSize, gain: EqualizedLinear.HeGain,
                lrMultiplier: config.MappingLrMultiplier)));
            layers.Add(($"act{i}", nn.LeakyReLU(0.2)));
        }
        return nn.Sequential(layers);
    }

    /// <summary><c>w̄ ← decay · w̄ + (1 − decay) · mean(w)</c> for w <c>[N, S]</c> or <c>[N, K, S]</c>.</summary>
    public static void UpdateMean(Tensor meanLatent, Tensor w, double decay)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batchMean = w.detach().reshape(-1, meanLatent.shape[0]).mean(new long[] { 0 }).to(meanLatent.dtype, meanLatent.device);
        meanLatent.lerp_(batchMean, 1.0 - decay);
    }

    /// <summary>Sets w̄ to the mean of <paramref name="map"/>(z) over <paramref name="samples"/> draws of z <c>[samples, latentSize]</c> from <paramref name="rng"/> (CPU stream, moved).</summary>
    public static void ComputeMean(Tensor meanLatent, Func<Tensor, Tensor> map, int latentSize, int samples, Generator? rng)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), "must be positive");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z = randn(new long[] { samples, latentSize }, dtype: meanLatent.dtype, generator: rng).to(meanLatent.device);
        meanLatent.copy_(map(z).mean(new long[] { 0 }));
    }

    /// <summary><c>w̄ + ψ (ws − w̄)</c>; ψ = 1 returns an alias of <paramref name="ws"/>.</summary>
    public static Tensor Truncate(Tensor meanLatent, Tensor ws, double psi)
    {
        if (psi == 1.0) return ws.alias();
        using var scope = NewDisposeScope();
        var mean = meanLatent.to(ws.dtype, ws.device); // [S], broadcasts over [N, S] and [N, K, S]
        return (mean + psi * (ws - mean)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The crossover of one style-mixing draw: with probability <paramref name="probability"/> a row drawn uniformly
    /// from <c>[1, styleCount − 1]</c>, otherwise <paramref name="styleCount"/> (no mixing). One per batch, as in the reference code.
    /// </summary>
    public static int DrawCrossover(int styleCount, double probability, Generator? rng)
    {
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), "must be in [0, 1]");
        using var _ = no_grad();
        if (styleCount > 1 && rand(new long[] { 1 }, generator: rng).item<float>() < probability)
            return (int)randint(1, styleCount, new long[] { 1 }, generator: rng).item<long>();
        return styleCount;
    }

    /// <summary>w+ <c>[N, K, S]</c> whose rows before <paramref name="crossover"/> are w1 <c>[N, S]</c> and the rest w2.</summary>
    public static Tensor Combine(Tensor w1, Tensor w2, int crossover, int styleCount)
    {
        if (crossover < 0 || crossover > styleCount) throw new ArgumentOutOfRangeException(nameof(crossover), $"must be in [0, {styleCount}]");
        using var scope = NewDisposeScope();
        var first = arange(styleCount, device: w1.device).lt(crossover).reshape(1, styleCount, 1); // [1, K, 1]
        return where(first, w1.unsqueeze(1), w2.unsqueeze(1)).MoveToOuterDisposeScope();          // [N, K, S]
    }

    /// <summary>w <c>[N, S]</c> broadcast to w+ <c>[N, K, S]</c>; w+ returned as is; anything else refused.</summary>
    public static Tensor ToWPlus(Tensor ws, int styleSize, int styleCount)
    {
        if (ws.dim() == 2 && ws.shape[1] == styleSize) return ws.unsqueeze(1).expand(-1, styleCount, -1); // [N, K, S]
        if (ws.dim() == 3 && ws.shape[1] == styleCount && ws.shape[2] == styleSize) return ws;
        throw new ArgumentException(
            $"styles must be w [N, {styleSize}] or w+ [N, {styleCount}, {styleSize}], got [{string.Join(", ", ws.shape)}]", nameof(ws));
    }

    /// <summary>Fresh noise <c>[n, 1, R, R]</c> for every entry of <paramref name="shapes"/>, drawn from <paramref name="rng"/> on the CPU and moved to <paramref name="device"/>.</summary>
    public static IReadOnlyList<Tensor> MakeNoise(IReadOnlyList<long[]> shapes, long n, Generator? rng, Device device) =>
        shapes.Select(s => randn(new[] { n }.Concat(s).ToArray(), generator: rng).to(device)).ToList();
}
