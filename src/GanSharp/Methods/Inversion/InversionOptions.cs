namespace GanSharp.Methods.Inversion;

/// <summary>Options of optimisation-based inversion (<see cref="GanInversion"/>, <see cref="MultiCodeInversion"/>).</summary>
/// <remarks>
/// The defaults were chosen on the bundled DCGAN with 8 held-out Fashion-MNIST test images (bench <c>inversion</c>,
/// bench/README.md): 300 steps (CPU: well under a second per image for one code); lr 0.1 beat 0.03 and 0.3 at 300
/// steps; starting at w̄ (space w) beat a random z by 0.5–1 dB; the latent prior 0.01 added 0.1–0.8 dB to inpainting
/// and super-resolution; λ_perceptual between 0 and 3 changed PSNR by less than 0.3 dB (1 is kept).
/// </remarks>
/// <param name="Space">Where the code lives.</param>
/// <param name="Steps">Adam steps per batch of images (mGANprior's paper: 3000; the StyleGAN2 projector: 1000).</param>
/// <param name="LearningRate">Adam's base learning rate.</param>
/// <param name="Schedule">Learning-rate decay after the warm-up.</param>
/// <param name="WarmupFraction">Fraction of the steps with a linear learning-rate ramp.</param>
/// <param name="PerceptualWeight">λ of the perceptual term; ignored when no perceptual features are given.</param>
/// <param name="LatentPriorWeight">Weight of the optional latent prior: mean of z² (space z) or of (w − w̄)² (w, w+).</param>
/// <param name="OptimiseNoise">Also optimise the generator's per-layer noise maps (generators with noise inputs only).</param>
/// <param name="BatchSize">Images optimised together (each image's loss and code are independent of the others).</param>
/// <param name="Seed">Seed of the random starting codes and the fixed noise maps.</param>
public sealed record InversionOptions(
    LatentSpace Space = LatentSpace.W,
    int Steps = 300,
    double LearningRate = 0.1,
    LearningRateSchedule Schedule = LearningRateSchedule.Cosine,
    double WarmupFraction = 0.05,
    double PerceptualWeight = 1.0,
    double LatentPriorWeight = 0.01,
    bool OptimiseNoise = false,
    int BatchSize = 16,
    ulong Seed = 0)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public InversionOptions Validate()
    {
        if (!Enum.IsDefined(Space)) throw new GanSharpException($"inversion: unknown latent space {(int)Space}");
        if (Steps is < 1 or > 1_000_000) throw new GanSharpException($"inversion: --steps {Steps}; must be 1..1000000");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new GanSharpException($"inversion: --lr {LearningRate}; must be positive");
        if (!Enum.IsDefined(Schedule)) throw new GanSharpException($"inversion: unknown schedule {(int)Schedule}");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) throw new GanSharpException($"inversion: warm-up fraction {WarmupFraction}; must be in [0, 1)");
        if (!(PerceptualWeight >= 0) || !double.IsFinite(PerceptualWeight)) throw new GanSharpException($"inversion: --perceptual-weight {PerceptualWeight}; must be 0 or positive");
        if (!(LatentPriorWeight >= 0) || !double.IsFinite(LatentPriorWeight)) throw new GanSharpException($"inversion: latent prior weight {LatentPriorWeight}; must be 0 or positive");
        if (BatchSize is < 1 or > 4096) throw new GanSharpException($"inversion: batch size {BatchSize}; must be 1..4096");
        return this;
    }
}
