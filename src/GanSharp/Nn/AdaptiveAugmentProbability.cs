using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>The resumable state of <see cref="AdaptiveAugmentProbability"/>: p and the sign sum and count since the last adjustment.</summary>
/// <param name="Probability">The augmentation probability p in [0, 1].</param>
/// <param name="SignSum">Σ sign(D(real)) since the last adjustment.</param>
/// <param name="Count">Real scores summed since the last adjustment.</param>
/// <param name="Steps">Steps since the last adjustment.</param>
public sealed record AdaptiveAugmentState(double Probability, double SignSum, long Count, int Steps);

/// <summary>
/// ADA's adaptive augmentation probability: the overfitting heuristic <c>r_t = E[sign(D(real))]</c> is accumulated over
/// <see cref="Interval"/> steps, then <c>p ← clip(p + sign(r_t − target) · batch · interval / speed, 0, 1)</c>, so p can
/// go from 0 to 1 in <see cref="SpeedImages"/> real images when D stays overconfident.
/// </summary>
/// <remarks>
/// Karras, Aittala, Hellsten, Laine, Lehtinen, Aila, "Training Generative Adversarial Networks with Limited Data",
/// NeurIPS 2020, §3 (r_t, target 0.6, adjustment every 4 minibatches, 500k images from 0 to 1).
/// </remarks>
public sealed class AdaptiveAugmentProbability
{
    /// <summary>ADA's target for r_t.</summary>
    public const double DefaultTarget = 0.6;

    /// <summary>ADA's adjustment interval in steps.</summary>
    public const int DefaultInterval = 4;

    /// <summary>ADA's speed: real images for p to move from 0 to 1.</summary>
    public const int DefaultSpeedImages = 500_000;

    double signSum;
    long count;
    int steps;

    /// <summary>Starts at <paramref name="initial"/> (ADA: 0).</summary>
    public AdaptiveAugmentProbability(double initial = 0, double target = DefaultTarget, int interval = DefaultInterval, int speedImages = DefaultSpeedImages)
    {
        if (!(initial is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(initial), "must be in [0, 1]");
        if (!(target is > -1 and < 1)) throw new ArgumentOutOfRangeException(nameof(target), "must be in (−1, 1)");
        if (interval <= 0) throw new ArgumentOutOfRangeException(nameof(interval), "must be positive");
        if (speedImages <= 0) throw new ArgumentOutOfRangeException(nameof(speedImages), "must be positive");
        Probability = initial;
        Target = target;
        Interval = interval;
        SpeedImages = speedImages;
    }

    /// <summary>The current augmentation probability p.</summary>
    public double Probability { get; private set; }

    /// <summary>The target of r_t.</summary>
    public double Target { get; }

    /// <summary>Steps between adjustments.</summary>
    public int Interval { get; }

    /// <summary>Real images over which p can move by 1.</summary>
    public int SpeedImages { get; }

    /// <summary>The r_t of the last adjustment (NaN before the first).</summary>
    public double LastOverfitting { get; private set; } = double.NaN;

    /// <summary>
    /// Records one step's raw scores of D on the real batch (<c>[N]</c>) and, every <see cref="Interval"/> steps, adjusts p.
    /// Returns whether p was adjusted.
    /// </summary>
    public bool Observe(Tensor realScores)
    {
        long n = realScores.numel();
        if (n == 0) throw new ArgumentException("no scores", nameof(realScores));
        using (no_grad()) signSum += realScores.detach().sign().sum().to(ScalarType.Float64).item<double>();
        count += n;
        if (++steps < Interval) return false;
        LastOverfitting = signSum / count;
        double batch = (double)count / steps;
        Probability = Math.Clamp(Probability + Math.Sign(LastOverfitting - Target) * batch * Interval / SpeedImages, 0, 1);
        (signSum, count, steps) = (0, 0, 0);
        return true;
    }

    /// <summary>The state to save with a checkpoint.</summary>
    public AdaptiveAugmentState State => new(Probability, signSum, count, steps);

    /// <summary>Restores a saved <paramref name="state"/> (resuming continues exactly).</summary>
    public void Restore(AdaptiveAugmentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!(state.Probability is >= 0 and <= 1) || state.Count < 0 || state.Steps < 0)
            throw new GanSharpException($"adaptive augmentation state {state}: p must be in [0, 1] and the counts non-negative");
        (Probability, signSum, count, steps) = (state.Probability, state.SignSum, state.Count, state.Steps);
    }
}
