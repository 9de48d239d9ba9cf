using static TorchSharp.torch;

namespace GanSharp.Metrics;

/// <summary>
/// Batched k-nearest-neighbour geometry on feature sets, shared by <see cref="PrecisionRecall"/> and
/// <see cref="DensityCoverage"/>. Distances are Euclidean, computed with <c>torch.cdist</c> one block of rows at a
/// time so that memory stays at <c>BlockSize × N</c> instead of <c>N × N</c>.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>Rows per block of pairwise distances (a 1024 × 50 000 float64 block is 400 MB; the default keeps it ~10 MB at N = 1 000).</summary>
    public const int DefaultBlockSize = 1024;

    /// <summary>
    /// The distance from each point to its k-th nearest neighbour in the same set, the point itself excluded
    /// (the (k+1)-th smallest distance counting the zero to itself, as in the reference implementations).
    /// </summary>
    /// <param name="points">// [N, D], N &gt; k</param>
    /// <param name="k">Neighbour rank, ≥ 1.</param>
    /// <param name="blockSize">Rows per distance block.</param>
    /// <returns>Radii, float64 on the CPU. // [N]</returns>
    public static Tensor KthNeighbourRadii(Tensor points, int k, int blockSize = DefaultBlockSize)
    {
        CheckSet(points, nameof(points));
        long n = points.shape[0];
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        if (n <= k) throw new ArgumentException($"need more than k = {k} points for k-NN radii, got {n}", nameof(points));
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = points.detach().to(float64); // [N, D]
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += blockSize)
        {
            long len = Math.Min(blockSize, n - start);
            var d = cdist(x.narrow(0, start, len), x);                          // [B, N]
            var (values, _) = d.topk(k + 1, dim: 1, largest: false, sorted: true); // [B, k+1]
            parts.Add(values.select(1, k).cpu());                                 // [B]
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Visits <paramref name="queries"/> in blocks with their distances to every point of <paramref name="points"/>.
    /// The callback receives the block's first row and its <c>[B, M]</c> float64 distances; tensors it creates are
    /// disposed after it returns unless it moves them out.
    /// </summary>
    public static void ForEachDistanceBlock(Tensor queries, Tensor points, int blockSize, Action<long, Tensor> visit)
    {
        CheckSet(queries, nameof(queries));
        CheckSet(points, nameof(points));
        if (queries.shape[1] != points.shape[1])
            throw new ArgumentException($"feature dimensions differ: {queries.shape[1]} vs {points.shape[1]}");
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        using var _ = no_grad();
        using var outer = NewDisposeScope();
        var q = queries.detach().to(float64);  // [N, D]
        var p = points.detach().to(float64);   // [M, D]
        long n = q.shape[0];
        for (long start = 0; start < n; start += blockSize)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(blockSize, n - start);
            visit(start, cdist(q.narrow(0, start, len), p)); // [B, M]
        }
    }

    internal static void CheckSet(Tensor t, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != 2 || t.shape[0] < 1)
            throw new ArgumentException($"{name} must be a non-empty [N, D] feature set, got [{string.Join(", ", t.shape)}]", name);
    }
}
