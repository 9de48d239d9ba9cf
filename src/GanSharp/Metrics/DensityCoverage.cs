using static TorchSharp.torch;

namespace GanSharp.Metrics;

/// <summary>Density and coverage of a generated feature set against a real one.</summary>
/// <param name="Density">Mean number of real k-NN balls containing a generated sample, divided by k (≈ 1 when the distributions match; can exceed 1).</param>
/// <param name="Coverage">Fraction of real samples whose k-NN ball contains at least one generated sample, in [0, 1].</param>
public readonly record struct DensityCoverageResult(double Density, double Coverage);

/// <summary>
/// Density and coverage: robust replacements for precision and recall that build balls around real samples only,
/// so outliers in the generated set cannot inflate the manifold.
/// density = 1/(kM) Σⱼ Σᵢ 1[Yⱼ ∈ B(Xᵢ, NND_k(Xᵢ))], coverage = 1/N Σᵢ 1[∃ j: Yⱼ ∈ B(Xᵢ, NND_k(Xᵢ))],
/// with X the N real and Y the M generated features.
/// </summary>
/// <remarks>
/// Naeem, Oh, Uh, Choi, Yoo 2020, "Reliable Fidelity and Diversity Metrics for Generative Models" (ICML), k = 3
/// (the paper recommends k = 5 with 10 000 samples; 3 matches <see cref="PrecisionRecall"/> at the small N used
/// here). Balls are open (<c>&lt;</c>), as in the authors' <c>prdc</c> code: with Y = X and no duplicate points each
/// ball holds its centre and k − 1 neighbours, so density = coverage = 1.
/// </remarks>
public static class DensityCoverage
{
    /// <summary>The neighbourhood size used here.</summary>
    public const int DefaultK = 3;

    /// <summary>Density and coverage of <paramref name="generated"/> against <paramref name="real"/>.</summary>
    /// <param name="real">Real features. // [N, D], N &gt; k</param>
    /// <param name="generated">Generated features. // [M, D]</param>
    /// <param name="k">Neighbour rank of the radii.</param>
    /// <param name="blockSize">Rows per block of pairwise distances.</param>
    public static DensityCoverageResult Compute(Tensor real, Tensor generated, int k = DefaultK, int blockSize = NearestNeighbours.DefaultBlockSize)
    {
        using var scope = NewDisposeScope();
        var radii = NearestNeighbours.KthNeighbourRadii(real, k, blockSize).to(real.device); // [N]
        long n = real.shape[0], m = generated.shape[0];
        var rowRadii = radii.unsqueeze(1);                                 // [N, 1]
        var ballCounts = zeros(new long[] { m }, int64, real.device);      // [M] real balls containing each Yⱼ
        long covered = 0;
        NearestNeighbours.ForEachDistanceBlock(real, generated, blockSize, (start, d) => // d: [B, M]
        {
            var inside = d < rowRadii.narrow(0, start, d.shape[0]);         // [B, M]
            ballCounts.add_(inside.sum(new long[] { 0 }, type: int64));
            covered += inside.any(1).sum().item<long>();
        });
        double density = ballCounts.sum().item<long>() / ((double)k * m);
        return new DensityCoverageResult(density, (double)covered / n);
    }
}
