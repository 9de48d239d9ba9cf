using static TorchSharp.torch;

namespace GanSharp.Training;

/// <summary>
/// Exponential moving average of a network's weights into a second network of the same architecture
/// (Karras et al. 2018; Yazıcı et al. 2019): <c>θ_ema ← β·θ_ema + (1 − β)·θ</c>, buffers copied. The EMA copy is what
/// samples and evaluations use.
/// </summary>
public static class Ema
{
    /// <summary>Updates <paramref name="target"/> towards <paramref name="source"/> with decay <paramref name="beta"/> in [0, 1].</summary>
    public static void Update(nn.Module source, nn.Module target, double beta)
    {
        if (!(beta >= 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "EMA decay must be in [0, 1]");
        using var _ = no_grad();
        var src = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in target.named_parameters())
        {
            if (!src.TryGetValue(name, out var s)) throw new InvalidOperationException($"EMA: source has no parameter {name}");
            p.mul_(beta).add_(s.detach(), alpha: 1 - beta);
        }
        var buffers = source.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in target.named_buffers())
            if (buffers.TryGetValue(name, out var s)) b.copy_(s);
    }

    /// <summary>Copies all weights and buffers of <paramref name="source"/> into <paramref name="target"/> (β = 0).</summary>
    public static void CopyInto(nn.Module source, nn.Module target) => Update(source, target, 0.0);
}
