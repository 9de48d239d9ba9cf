namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>Options of encoder training (<see cref="EncoderMethod"/>).</summary>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Beta1">Adam β₁.</param>
/// <param name="Beta2">Adam β₂.</param>
/// <param name="PixelWeight">λ_pix of <c>mean((G(E(x)) − x)²)</c>, on real and generated images.</param>
/// <param name="PerceptualWeight">λ_per of the perceptual distance between G(E(x)) and x (when perceptual features are given).</param>
/// <param name="LatentWeight">λ_lat of <c>mean((E(G(c)) − c)²)</c> on generated images whose code c is known.</param>
/// <param name="Width">Channels of the encoder's first block (doubling per block, the DCGAN discriminator's plan).</param>
public sealed record EncoderOptions(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double PixelWeight = 1.0,
    double PerceptualWeight = 1.0,
    double LatentWeight = 1.0,
    int Width = 32)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public EncoderOptions Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new GanSharpException($"encoder: --lr {LearningRate}; must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new GanSharpException($"encoder: Adam betas ({Beta1}, {Beta2}) must be in [0, 1)");
        foreach (var (name, v) in new[] { ("--pixel-weight", PixelWeight), ("--perceptual-weight", PerceptualWeight), ("--latent-weight", LatentWeight) })
            if (!(v >= 0) || !double.IsFinite(v)) throw new GanSharpException($"encoder: {name} {v}; must be 0 or positive");
        if (PixelWeight + PerceptualWeight + LatentWeight == 0) throw new GanSharpException("encoder: every loss weight is 0");
        if (Width is < 1 or > 1024) throw new GanSharpException($"encoder: --width {Width}; must be 1..1024");
        return this;
    }
}
