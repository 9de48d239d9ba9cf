namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>Options of PadInv (<see cref="PadInvMethod"/>).</summary>
/// <param name="Layers">Padded convolutions of G whose padding the encoder predicts: the last this many (paper: the later layers; 4 here).</param>
/// <param name="Rank">R, the coefficient channels per layer (mixed to the layer's channels by a learned matrix).</param>
/// <param name="SidePoints">L, control points along each side of the border.</param>
/// <param name="LearningRate">Adam's learning rate of the encoder.</param>
/// <param name="DiscriminatorLearningRate">Adam's learning rate of D.</param>
/// <param name="PixelWeight">λ_pix of <c>mean((x − G(E(x)))²)</c>.</param>
/// <param name="PerceptualWeight">λ_per of the perceptual distance (when perceptual features are given).</param>
/// <param name="AdversarialWeight">λ_adv of <c>−E[D(G(E(x)))]</c>.</param>
/// <param name="LatentRegWeight">λ_reg of <c>mean((E_latent(x) − w̄)²)</c>.</param>
/// <param name="R1Gamma">γ of D's R1 penalty <c>γ/2 · E[‖∇_x D(x)‖²]</c>.</param>
/// <param name="Width">Channels of the encoder's first block.</param>
public sealed record PadInvOptions(
    int Layers = 4,
    int Rank = 8,
    int SidePoints = 8,
    double LearningRate = 1e-3,
    double DiscriminatorLearningRate = 1e-4,
    double PixelWeight = 1.0,
    double PerceptualWeight = 1.0,
    double AdversarialWeight = 0.01,
    double LatentRegWeight = 0.01,
    double R1Gamma = 10,
    int Width = 32)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public PadInvOptions Validate()
    {
        if (Layers is < 1 or > 64) throw new GanSharpException($"padinv: --layers {Layers}; must be 1..64");
        if (Rank is < 1 or > 256) throw new GanSharpException($"padinv: --rank {Rank}; must be 1..256");
        if (SidePoints is < 2 or > 256) throw new GanSharpException($"padinv: side points {SidePoints}; must be 2..256");
        foreach (var (name, v) in new[] { ("--lr", LearningRate), ("--d-lr", DiscriminatorLearningRate) })
            if (!(v > 0) || !double.IsFinite(v)) throw new GanSharpException($"padinv: {name} {v}; must be positive");
        foreach (var (name, v) in new[] { ("--pixel-weight", PixelWeight), ("--perceptual-weight", PerceptualWeight), ("--adversarial-weight", AdversarialWeight), ("--latent-reg-weight", LatentRegWeight), ("--r1", R1Gamma) })
            if (!(v >= 0) || !double.IsFinite(v)) throw new GanSharpException($"padinv: {name} {v}; must be 0 or positive");
        if (Width is < 1 or > 1024) throw new GanSharpException($"padinv: --width {Width}; must be 1..1024");
        return this;
    }
}
