namespace GanSharp.Training;

/// <summary>What the guard does when a loss or weight becomes NaN or infinite.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<NanPolicy>))]
public enum NanPolicy
{
    /// <summary>Stop with an error naming the step and the scalar.</summary>
    Stop,
    /// <summary>Reload the last checkpoint and continue with a fresh random stream; stop after too many rollbacks.</summary>
    Rollback,
}

/// <summary>Learning-rate schedule shape, applied to every optimiser as a factor of its initial rate.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LrSchedule>))]
public enum LrSchedule
{
    /// <summary>Constant rate.</summary>
    Constant,
    /// <summary>Constant, then linear decay to zero over the last <see cref="TrainingOptions.DecayFraction"/> of the steps (CycleGAN).</summary>
    LinearDecay,
    /// <summary>Cosine decay from the initial rate to zero.</summary>
    Cosine,
}

/// <summary>Options of the generic loop; methods have their own option records.</summary>
/// <param name="Steps">Total training steps (a step is one call of <see cref="ITrainingMethod.TrainStep"/>).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Seed">Seed of data order, latents and initialisation.</param>
/// <param name="LogEvery">Steps between <c>stats.jsonl</c>/TensorBoard lines.</param>
/// <param name="SampleEvery">Steps between sample grids (0: only at the end).</param>
/// <param name="CheckpointEvery">Steps between checkpoints (0: only at the end).</param>
/// <param name="KeepCheckpoints">Checkpoints kept (0: all).</param>
/// <param name="SampleCount">Images in each sample grid.</param>
/// <param name="Nan">NaN/Inf policy.</param>
/// <param name="MaxRollbacks">Rollbacks allowed before stopping.</param>
/// <param name="NanCheckEvery">Steps between the (costlier) weight scans; losses are checked every step.</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="DecayFraction">For <see cref="LrSchedule.LinearDecay"/>: the final fraction of steps that decays.</param>
/// <param name="Prefetch">Batches prepared in the background.</param>
/// <param name="DivergeAbove">
/// A logged scalar (loss, score) whose magnitude exceeds this counts as divergence and is handled like a NaN by
/// <see cref="Nan"/> (stop, or roll back): finite losses of 1e18 otherwise train on to gray noise. 0 turns the check off.
/// </param>
/// <param name="CanaryEvery">
/// Steps between numerics canaries (0: off): on the CPU, while oneDNN is in use, a method that is an
/// <see cref="INumericsCanary"/> re-runs the float64 check on copies of its current networks at
/// <see cref="CanaryBatch"/> images; on failure training switches to the safe path (oneDNN off), says so, and continues
/// from the last checkpoint.
/// </param>
/// <param name="CanaryBatch">Images in the canary's batch.</param>
public sealed record TrainingOptions(
    long Steps = 1000,
    int BatchSize = 64,
    ulong Seed = 1,
    int LogEvery = 10,
    int SampleEvery = 500,
    int CheckpointEvery = 1000,
    int KeepCheckpoints = 3,
    int SampleCount = 64,
    NanPolicy Nan = NanPolicy.Rollback,
    int MaxRollbacks = 3,
    int NanCheckEvery = 50,
    LrSchedule Schedule = LrSchedule.Constant,
    double DecayFraction = 0.5,
    int Prefetch = 2,
    double DivergeAbove = TrainingOptions.DefaultDivergeAbove,
    int CanaryEvery = 500,
    int CanaryBatch = 4)
{
    /// <summary>The default divergence bound: far above any loss of a healthy run (U-GAT-IT's weighted CAM terms start near 3e3).</summary>
    public const double DefaultDivergeAbove = 1e8;

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first bad value; returns this.</summary>
    public TrainingOptions Validate()
    {
        if (Steps < 1) throw new GanSharpException($"steps {Steps}: must be at least 1");
        if (BatchSize < 1) throw new GanSharpException($"batch size {BatchSize}: must be at least 1");
        if (LogEvery < 1) throw new GanSharpException($"log interval {LogEvery}: must be at least 1");
        if (SampleEvery < 0 || CheckpointEvery < 0 || KeepCheckpoints < 0 || MaxRollbacks < 0 || Prefetch < 0)
            throw new GanSharpException("sample/checkpoint intervals, kept checkpoints, rollbacks and prefetch must not be negative");
        if (SampleCount < 1) throw new GanSharpException($"sample count {SampleCount}: must be at least 1");
        if (CanaryEvery < 0 || CanaryBatch < 1) throw new GanSharpException($"numerics canary every {CanaryEvery} steps at batch {CanaryBatch}: the interval must not be negative and the batch at least 1");
        if (NanCheckEvery < 1) throw new GanSharpException($"NaN check interval {NanCheckEvery}: must be at least 1");
        if (!(DivergeAbove >= 0) || double.IsInfinity(DivergeAbove)) throw new GanSharpException($"divergence bound {DivergeAbove}: must be 0 (off) or a positive number");
        if (!(DecayFraction > 0 && DecayFraction <= 1)) throw new GanSharpException($"decay fraction {DecayFraction}: must be in (0, 1]");
        return this;
    }

    /// <summary>The learning-rate factor at <paramref name="step"/> (0-based) for this schedule.</summary>
    public double LrFactor(long step) => Schedule switch
    {
        LrSchedule.Constant => 1.0,
        LrSchedule.LinearDecay => LearningRateCurves.LinearDecay(step, Steps, DecayFraction),
        LrSchedule.Cosine => LearningRateCurves.Cosine(step / (double)Steps),
        _ => 1.0,
    };
}
