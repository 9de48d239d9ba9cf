using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// Perceptual distances between images through a feature extractor φ (<see cref="IPerceptualFeatures"/>): every
/// feature vector (the channels at one position) is scaled to unit length before comparison, as in LPIPS.
/// </summary>
public static class PerceptualLoss
{
    /// <summary>Added to the squared norm before the square root, so that all-zero feature vectors (ReLU) stay finite.</summary>
    public const double NormEpsilon = 1e-10;

    /// <summary>
    /// The optimisation loss per image: for every layer the mean over channels and positions of the squared difference
    /// of channel-unit-normalised features, averaged over the layers.
    /// </summary>
    /// <param name="phi">The feature extractor.</param>
    /// <param name="x">Images in [-1, 1]. // [N, C, H, W]</param>
    /// <param name="y">Images in [-1, 1], same shape. // [N, C, H, W]</param>
    /// <returns>// [N]</returns>
    public static Tensor Loss(IPerceptualFeatures phi, Tensor x, Tensor y) =>
        Reduce(phi, x, y, d => d.flatten(1).mean(new long[] { 1 }), average: true);

    /// <summary>
    /// An LPIPS-style evaluation distance per image: channel-unit-normalised features, squared difference summed over
    /// channels, mean over positions, summed over layers. Unlike LPIPS (Zhang, Isola, Efros, Shechtman, Wang, CVPR 2018)
    /// there are <b>no learned per-channel linear weights</b> (every channel weighs 1) and φ is GanSharp's feature network,
    /// not AlexNet/VGG, so the values are not comparable to published LPIPS.
    /// </summary>
    /// <param name="phi">The feature extractor.</param>
    /// <param name="x">Images in [-1, 1]. // [N, C, H, W]</param>
    /// <param name="y">Images in [-1, 1], same shape. // [N, C, H, W]</param>
    /// <returns>// [N], 0 for identical images</returns>
    public static Tensor Distance(IPerceptualFeatures phi, Tensor x, Tensor y) =>
        Reduce(phi, x, y, d => d.sum(1).flatten(1).mean(new long[] { 1 }), average: false);

    /// <summary>Scales every feature vector (dimension 1) to unit length: <c>f / sqrt(Σ_c f² + ε)</c>.</summary>
    /// <param name="features">// [N, C, H, W]</param>
    /// <returns>// [N, C, H, W]</returns>
    public static Tensor UnitNormalise(Tensor features) =>
        features * (features.square().sum(1, keepdim: true) + NormEpsilon).rsqrt();

    /// <summary>
    /// The unit-normalised features of fixed target images, computed once (no gradient) for
    /// <see cref="Loss(IPerceptualFeatures, Tensor, IReadOnlyList{Tensor})"/> over many optimisation steps.
    /// </summary>
    /// <param name="phi">The feature extractor.</param>
    /// <param name="y">Images in [-1, 1]. // [N, C, H, W]</param>
    /// <returns>// [N, C_k, H_k, W_k] per layer</returns>
    public static IReadOnlyList<Tensor> Targets(IPerceptualFeatures phi, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(phi);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = phi.Extract(y.detach()).Select(UnitNormalise).ToList();
        foreach (var t in result) t.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary><see cref="Loss(IPerceptualFeatures, Tensor, Tensor)"/> against precomputed <see cref="Targets"/>.</summary>
    /// <param name="phi">The feature extractor.</param>
    /// <param name="x">Images in [-1, 1]. // [N, C, H, W]</param>
    /// <param name="targets">What <see cref="Targets"/> returned for the images to compare with.</param>
    /// <returns>// [N]</returns>
    public static Tensor Loss(IPerceptualFeatures phi, Tensor x, IReadOnlyList<Tensor> targets)
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        var features = phi.Extract(x);
        if (features.Count != targets.Count)
            throw new ArgumentException($"{targets.Count} target layers for {features.Count} feature layers", nameof(targets));
        return Combine(features.Select((f, k) => (UnitNormalise(f), targets[k])), d => d.flatten(1).mean(new long[] { 1 }), average: true)
            .MoveToOuterDisposeScope();
    }

    static Tensor Reduce(IPerceptualFeatures phi, Tensor x, Tensor y, Func<Tensor, Tensor> perLayer, bool average)
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!x.shape.SequenceEqual(y.shape))
            throw new ArgumentException($"image shapes differ: [{string.Join(", ", x.shape)}] vs [{string.Join(", ", y.shape)}]", nameof(y));
        using var scope = NewDisposeScope();
        // One pass over the concatenated pair: BatchNorm is in eval mode, so the batch does not mix the images.
        var features = phi.Extract(cat(new[] { x, y }));
        int n = (int)x.shape[0];
        var pairs = features.Select(f => UnitNormalise(f)).Select(u => (u[..n], u[n..])); // [N, C_k, H_k, W_k] twice
        return Combine(pairs, perLayer, average).MoveToOuterDisposeScope();
    }

    /// <summary>Sums (or averages) <paramref name="perLayer"/> of the squared differences of normalised feature pairs.</summary>
    static Tensor Combine(IEnumerable<(Tensor X, Tensor Y)> pairs, Func<Tensor, Tensor> perLayer, bool average)
    {
        Tensor? total = null;
        int layers = 0;
        foreach (var (ux, uy) in pairs)
        {
            var layer = perLayer((ux - uy).square()); // [N]
            total = total is null ? layer : total + layer;
            layers++;
        }
        if (total is null) throw new InvalidOperationException("the perceptual feature extractor returned no layers");
        return average ? total / layers : total;
    }
}
