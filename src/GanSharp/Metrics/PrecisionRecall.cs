using static TorchSharp.torch;

namespace GanSharp.Metrics;

/// <summary>Improved precision and recall of a generated feature set against a real one, each in [0, 1].</summary>
/// <param name="Precision">Fraction of generated samples inside the real manifold (fidelity).</param>
/// <param name="Recall">Fraction of real samples inside the generated manifold (diversity / coverage of modes).</param>
public readonly record struct PrecisionRecallResult(double Precision, double Recall);

/// <summary>
/// Improved precision and recall: each set's manifold is the union of balls around its samples with radius the
/// distance to the sample's k-th nearest neighbour in the same set; precision is the fraction of generated
/// samples that fall in the real manifold, recall the fraction of real samples that fall in the generated one.
/// </summary>
/// <remarks>
/// Kynkäänniemi, Karras, Laine, Lehtinen, Aila 2019, "Improved Precision and Recall Metric for Assessing Generative
/// Models" (NeurIPS), k = 3 as in the paper. A sample on a ball's boundary counts as inside (<c>≤</c>), as in the
/// authors' code. Balls come from k-NN radii, so the sets need more than k samples, and the values depend on N:
/// compare only at equal sample counts.
/// </remarks>
public static class PrecisionRecall
{
    /// <summary>The paper's neighbourhood size.</summary>
    public const int DefaultK = 3;

    /// <summary>Precision and recall of <paramref name="generated"/> against <paramref name="real"/>.</summary>
    /// <param name="real">Real features. // [N, D]</param>
    /// <param name="generated">Generated features. // [M, D]</param>
    /// <param name="k">Neighbour rank of the radii.</param>
    /// <param name="blockSize">Rows per block of pairwise distances.</param>
    public static PrecisionRecallResult Compute(Tensor real, Tensor generated, int k = DefaultK, int blockSize = NearestNeighbours.DefaultBlockSize)
    {
        using var scope = NewDisposeScope();
        var realRadii = NearestNeighbours.KthNeighbourRadii(real, k, blockSize);      // [N]
        var fakeRadii = NearestNeighbours.KthNeighbourRadii(generated, k, blockSize); // [M]
        return new PrecisionRecallResult(
            FractionInside(generated, real, realRadii, blockSize),
            FractionInside(real, generated, fakeRadii, blockSize));
    }

    /// <summary>The fraction of <paramref name="queries"/> within the k-NN ball of at least one point of <paramref name="manifold"/>.</summary>
    /// <param name="queries">// [N, D]</param>
    /// <param name="manifold">// [M, D]</param>
    /// <param name="radii">Ball radius of each manifold point. // [M]</param>
    /// <param name="blockSize">Rows per block of pairwise distances.</param>
    public static double FractionInside(Tensor queries, Tensor manifold, Tensor radii, int blockSize = NearestNeighbours.DefaultBlockSize)
    {
        long inside = 0;
        using var scope = NewDisposeScope();
        var r = radii.to(float64).to(manifold.device).unsqueeze(0); // [1, M]
        NearestNeighbours.ForEachDistanceBlock(queries, manifold, blockSize,
            (_, d) => inside += (d <= r).any(1).sum().item<long>()); // d: [B, M]
        return (double)inside / queries.shape[0];
    }
}
