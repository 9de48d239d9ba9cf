using static TorchSharp.torch;

namespace GanSharp.Metrics;

/// <summary>The first two moments of a feature set, in float64 on the CPU.</summary>
/// <param name="Mean">Feature means. // [D]</param>
/// <param name="Covariance">Unbiased (N − 1) covariance. // [D, D]</param>
/// <param name="Count">Number of samples the moments were computed from.</param>
public sealed record FeatureStatistics(Tensor Mean, Tensor Covariance, int Count) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        Covariance.Dispose();
    }

    /// <summary>Feature dimension D.</summary>
    public int Dimension => (int)Mean.shape[0];
}

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}).
/// </summary>
/// <remarks>
/// Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium" (FID).
/// Features here come from a <see cref="FeatureNetwork"/> trained by GanSharp, not from Inception-v3, so a value is
/// "FID-style": comparable between runs that use the same feature network checkpoint and the same sample count,
/// never with published Inception FIDs. The estimate is biased upwards at small N (Chong &amp; Forsyth 2020), so
/// compare values only at equal N.
/// <para>
/// Tr((Σ₁Σ₂)^{1/2}) is computed without a non-symmetric square root: Σ₁Σ₂ is similar to the symmetric positive
/// semi-definite M = Σ₁^{1/2} Σ₂ Σ₁^{1/2}, so the trace is the sum of the square roots of M's eigenvalues. Both
/// eigen-decompositions use <c>torch.linalg.eigh</c> in float64; rounding-level negative eigenvalues are clamped to 0.
/// </para>
/// </remarks>
public static class FrechetDistance
{
    /// <summary>Mean and covariance of <paramref name="features"/> (any float dtype, any device; result float64 on CPU).</summary>
    /// <param name="features">One row per sample. // [N, D], N ≥ 2</param>
    public static FeatureStatistics Statistics(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2) throw new ArgumentException($"features must be [N, D], got [{string.Join(", ", features.shape)}]", nameof(features));
        long n = features.shape[0];
        if (n < 2) throw new ArgumentException($"need at least 2 samples for a covariance, got {n}", nameof(features));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = features.detach().to(float64).cpu(); // [N, D]
        var mean = x.mean(new long[] { 0 });          // [D]
        var centred = x - mean;                      // [N, D]
        var cov = centred.t().matmul(centred) / (n - 1); // [D, D]
        return new FeatureStatistics(mean.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope(), (int)n);
    }

    /// <summary>The squared Fréchet distance d² between the Gaussians fitted to two feature sets (≥ 0).</summary>
    /// <param name="a">First set. // [N₁, D]</param>
    /// <param name="b">Second set. // [N₂, D]</param>
    public static double Compute(Tensor a, Tensor b)
    {
        using var sa = Statistics(a);
        using var sb = Statistics(b);
        return Compute(sa, sb);
    }

    /// <summary>The squared Fréchet distance d² between two Gaussians given by their moments (≥ 0).</summary>
    public static double Compute(FeatureStatistics a, FeatureStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dimension != b.Dimension) throw new ArgumentException($"feature dimensions differ: {a.Dimension} vs {b.Dimension}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var mu1 = a.Mean.to(float64); var mu2 = b.Mean.to(float64);             // [D]
        var s1 = a.Covariance.to(float64); var s2 = b.Covariance.to(float64);   // [D, D]
        double meanTerm = (mu1 - mu2).square().sum().item<double>();
        double traceSqrt = TraceSqrtProduct(s1, s2);
        double d2 = meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - 2 * traceSqrt;
        return Math.Max(d2, 0.0);
    }

    /// <summary>Tr((Σ₁Σ₂)^{1/2}) for symmetric positive semi-definite Σ₁, Σ₂, via two symmetric eigen-decompositions.</summary>
    /// <param name="s1">Σ₁. // [D, D]</param>
    /// <param name="s2">Σ₂. // [D, D]</param>
    public static double TraceSqrtProduct(Tensor s1, Tensor s2)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var root1 = SymmetricSqrt(s1.to(float64));       // Σ₁^{1/2}, [D, D]
        var m = root1.matmul(s2.to(float64)).matmul(root1);
        m = (m + m.t()) * 0.5;                            // symmetric up to rounding; make it exact for eigh
        var (eigenvalues, _) = linalg.eigh(m);
        return eigenvalues.clamp_min(0).sqrt().sum().item<double>();
    }

    /// <summary>The principal square root of a symmetric positive semi-definite matrix (negative eigenvalues clamped to 0).</summary>
    /// <param name="matrix">// [D, D]</param>
    /// <returns>// [D, D]</returns>
    public static Tensor SymmetricSqrt(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var sym = (matrix + matrix.t()) * 0.5;
        var (values, vectors) = linalg.eigh(sym);                 // [D], [D, D]
        var root = (vectors * values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.t());
        return root.MoveToOuterDisposeScope();
    }
}
