using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>
/// The data term of inversion and restoration, per image: <c>mean((A(x) − y)²) + λ · perceptual(A(x), y)</c>, with A the
/// degradation (identity for plain inversion) and y the observation. The observation's perceptual features are
/// computed once.
/// </summary>
public sealed class InversionObjective
{
    readonly Tensor observation;                 // [N, C', H', W']
    readonly IDegradation? degradation;
    readonly IPerceptualFeatures? phi;
    readonly IReadOnlyList<Tensor>? targets;     // unit-normalised φ(y), per layer
    readonly double weight;

    /// <summary>The objective for <paramref name="observation"/> <c>[N, C', H', W']</c>.</summary>
    /// <param name="observation">What was observed: the images themselves, or their degraded versions.</param>
    /// <param name="degradation">A; null for the identity.</param>
    /// <param name="phi">Perceptual features; null (or <paramref name="perceptualWeight"/> 0) for a pixel-only loss.</param>
    /// <param name="perceptualWeight">λ.</param>
    public InversionObjective(Tensor observation, IDegradation? degradation, IPerceptualFeatures? phi, double perceptualWeight)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.dim() != 4) throw new ArgumentException($"observations must be [N, C, H, W], got [{string.Join(", ", observation.shape)}]", nameof(observation));
        this.observation = observation.detach();
        this.degradation = degradation;
        weight = perceptualWeight;
        if (phi != null && perceptualWeight > 0)
        {
            this.phi = phi;
            targets = PerceptualLoss.Targets(phi, MatchChannels(this.observation, phi.Channels));
        }
    }

    /// <summary>Per-image loss of candidate images.</summary>
    /// <param name="images">// [N, C, H, W] in [-1, 1]</param>
    /// <returns>// [N]</returns>
    public Tensor Loss(Tensor images)
    {
        using var scope = NewDisposeScope();
        var observed = degradation?.Apply(images) ?? images; // [N, C', H', W']
        if (!observed.shape.SequenceEqual(observation.shape))
            throw new ArgumentException($"the degraded images are [{string.Join(", ", observed.shape)}] but the observation is [{string.Join(", ", observation.shape)}]", nameof(images));
        var loss = (observed - observation).square().flatten(1).mean(new long[] { 1 }); // [N]
        if (phi != null && targets != null)
            loss = loss + weight * PerceptualLoss.Loss(phi, MatchChannels(observed, phi.Channels), targets);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Gray ↔ RGB so that φ sees the channels it was trained on (e.g. a gray colorization observation and an RGB φ).</summary>
    static Tensor MatchChannels(Tensor images, int channels) =>
        images.shape[1] == channels ? images
        : channels == 3 ? ColorOps.GrayToRgb(images)
        : ColorOps.RgbToGray(images);
}
