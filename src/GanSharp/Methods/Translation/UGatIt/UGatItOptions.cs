namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>U-GAT-IT training options (the paper's values are the defaults).</summary>
/// <param name="LearningRate">Adam learning rate of both optimisers (paper: 1e-4).</param>
/// <param name="Beta1">Adam β₁ (paper: 0.5).</param>
/// <param name="Beta2">Adam β₂ (paper: 0.999).</param>
/// <param name="WeightDecay">Adam weight decay (paper: 1e-4).</param>
/// <param name="AdversarialWeight">Weight of the least-squares adversarial terms (paper: 1).</param>
/// <param name="CycleWeight">Weight of the L1 cycle loss (paper: 10).</param>
/// <param name="IdentityWeight">Weight of the L1 identity loss (paper: 10).</param>
/// <param name="CamWeight">Weight of the generators' CAM loss (paper: 1000).</param>
/// <remarks>Kim, Kim, Kang, Lee, "U-GAT-IT", ICLR 2020, §2.2 (loss function) and §3.1 / appendix (training details).</remarks>
public sealed record UGatItOptions(
    double LearningRate = 1e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    double WeightDecay = 1e-4,
    double AdversarialWeight = 1,
    double CycleWeight = 10,
    double IdentityWeight = 10,
    double CamWeight = 1000)
{
    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public UGatItOptions Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new GanSharpException($"U-GAT-IT: learning rate {LearningRate} must be positive");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new GanSharpException($"U-GAT-IT: Adam betas {Beta1}, {Beta2} must be in [0, 1)");
        foreach (var (v, what) in new[] { (WeightDecay, "weight decay"), (AdversarialWeight, "adversarial weight"), (CycleWeight, "cycle weight"), (IdentityWeight, "identity weight"), (CamWeight, "CAM weight") })
            if (!(v >= 0) || !double.IsFinite(v)) throw new GanSharpException($"U-GAT-IT: {what} {v} must be ≥ 0");
        return this;
    }
}
