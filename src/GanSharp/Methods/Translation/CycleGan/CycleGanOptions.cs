namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>CycleGAN's training options, with the paper's defaults.</summary>
/// <param name="LearningRate">Adam learning rate of all four networks (paper: 0.0002; the linear decay over the second half is the loop's <c>LinearDecay</c> schedule).</param>
/// <param name="Beta1">Adam β₁ (paper: 0.5).</param>
/// <param name="Beta2">Adam β₂ (paper: 0.999).</param>
/// <param name="CycleWeight">λ of the cycle-consistency loss (paper: 10).</param>
/// <param name="IdentityWeight">Weight of the identity loss as a fraction of λ (paper: 0.5, i.e. 0.5·λ; 0 turns it off).</param>
/// <param name="PoolSize">Generated images kept in each history pool for the discriminators (paper: 50; 0 turns the pool off).</param>
/// <param name="InitGain">Standard deviation of the N(0, σ) initialisation of every convolution (paper: 0.02).</param>
/// <remarks>Zhu et al., ICCV 2017, §4 and §7.1 (training details); the history pool is Shrivastava et al., CVPR 2017.</remarks>
public sealed record CycleGanOptions(
    double LearningRate = 2e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    double CycleWeight = 10,
    double IdentityWeight = 0.5,
    int PoolSize = 50,
    double InitGain = 0.02)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public CycleGanOptions Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new GanSharpException($"CycleGAN: learning rate {LearningRate} must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new GanSharpException($"CycleGAN: Adam betas {Beta1}, {Beta2} must be in [0, 1)");
        if (!(CycleWeight >= 0) || !double.IsFinite(CycleWeight)) throw new GanSharpException($"CycleGAN: cycle weight {CycleWeight} must be ≥ 0");
        if (!(IdentityWeight >= 0) || !double.IsFinite(IdentityWeight)) throw new GanSharpException($"CycleGAN: identity weight {IdentityWeight} must be ≥ 0");
        if (PoolSize < 0 || PoolSize > 10_000) throw new GanSharpException($"CycleGAN: history pool of {PoolSize} images; use 0..10000 (the paper uses 50)");
        if (!(InitGain > 0) || !double.IsFinite(InitGain)) throw new GanSharpException($"CycleGAN: init gain {InitGain} must be positive");
        return this;
    }
}
