using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Losses;

/// <summary>How a per-sample distance reduces the elements of one sample.</summary>
public enum SampleReduction
{
    /// <summary>Mean over the sample's elements (independent of image size).</summary>
    Mean,

    /// <summary>Sum over the sample's elements (AnoGAN's Σ|x − G(z)|).</summary>
    Sum,
}

/// <summary>
/// Reconstruction and feature distances used by image-to-image translation and anomaly detection
/// (AnoGAN's R and D_f, GANomaly's L_con/L_enc/L_adv, f-AnoGAN's izi/izi_f; METHODS.md §6).
/// </summary>
public static class ReconstructionLoss
{
    /// <summary>Mean absolute error E|x − y| over all elements.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="y">Same shape as <paramref name="x"/>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor L1(Tensor x, Tensor y) => (x - y).abs().mean();

    /// <summary>Mean squared error E[(x − y)²] over all elements (the squared L2 distance per element).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="y">Same shape as <paramref name="x"/>.</param>
    /// <returns>A scalar.</returns>
    public static Tensor L2(Tensor x, Tensor y) => (x - y).square().mean();

    /// <summary>|x − y| reduced per sample: mean (default) or sum over every dimension but the first.</summary>
    /// <param name="x">Batch <c>[N, ...]</c>.</param>
    /// <param name="y">Same shape as <paramref name="x"/>.</param>
    /// <param name="reduction">Mean or sum over a sample's elements.</param>
    /// <returns><c>[N]</c>.</returns>
    public static Tensor L1PerSample(Tensor x, Tensor y, SampleReduction reduction = SampleReduction.Mean) =>
        Reduce((x - y).abs(), reduction);

    /// <summary>(x − y)² reduced per sample: mean (default) or sum over every dimension but the first.</summary>
    /// <param name="x">Batch <c>[N, ...]</c>.</param>
    /// <param name="y">Same shape as <paramref name="x"/>.</param>
    /// <param name="reduction">Mean or sum over a sample's elements.</param>
    /// <returns><c>[N]</c>.</returns>
    public static Tensor L2PerSample(Tensor x, Tensor y, SampleReduction reduction = SampleReduction.Mean) =>
        Reduce((x - y).square(), reduction);

    /// <summary>
    /// Feature-matching distance ‖f(x) − f(G(z))‖_p per sample over the flattened features: p = 1 is AnoGAN's
    /// D_f = Σ|f(x) − f(G(z))|, p = 2 the Euclidean distance.
    /// </summary>
    /// <remarks>Salimans et al. 2016 (feature matching); Schlegl et al. 2017 (AnoGAN).</remarks>
    /// <param name="realFeatures">Discriminator features of the real images <c>[N, ...]</c>.</param>
    /// <param name="fakeFeatures">Features of the reconstructions, same shape.</param>
    /// <param name="p">1 or 2.</param>
    /// <returns><c>[N]</c>.</returns>
    public static Tensor FeatureMatchingDistance(Tensor realFeatures, Tensor fakeFeatures, int p = 2)
    {
        if (p != 1 && p != 2) throw new ArgumentOutOfRangeException(nameof(p), p, "the feature distance supports p = 1 or p = 2");
        var d = PerSampleView(realFeatures - fakeFeatures);                                      // [N, F]
        return p == 1 ? d.abs().sum(1) : d.norm(1);
    }

    /// <summary>A batch as <c>[N, F]</c>: a <c>[N]</c> batch of scalars becomes <c>[N, 1]</c>.</summary>
    internal static Tensor PerSampleView(Tensor batch) => batch.dim() == 1 ? batch.unsqueeze(1) : batch.flatten(1);

    static Tensor Reduce(Tensor perElement, SampleReduction reduction)
    {
        var flat = PerSampleView(perElement);                                                      // [N, F]
        return reduction switch
        {
            SampleReduction.Mean => flat.mean(new long[] { 1 }),
            SampleReduction.Sum => flat.sum(1),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
        };
    }
}
