namespace GanSharp.Methods.Inversion;

/// <summary>How the inversion's learning rate changes over the steps (after a linear warm-up).</summary>
public enum LearningRateSchedule
{
    /// <summary>Half a cosine from the base rate down to 0 at the last step.</summary>
    Cosine,

    /// <summary>The base rate, ×0.1 from two thirds of the steps on.</summary>
    Step,

    /// <summary>The base rate throughout.</summary>
    Constant,
}

/// <summary>The learning-rate factor of a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRateSchedules
{
    /// <summary>
    /// The factor at step <paramref name="step"/> of <paramref name="steps"/> (0-based): a linear ramp from 1/(warm-up steps)
    /// to 1 over the first <paramref name="warmupFraction"/> of the steps, times the schedule's decay.
    /// </summary>
    public static double Factor(this LearningRateSchedule schedule, int step, int steps, double warmupFraction)
    {
        double t = steps <= 1 ? 0 : step / (double)(steps - 1);
        double ramp = Training.LearningRateCurves.WarmUp(step, (int)Math.Ceiling(warmupFraction * steps));
        double decay = schedule switch
        {
            LearningRateSchedule.Cosine => Training.LearningRateCurves.Cosine(t),
            LearningRateSchedule.Step => Training.LearningRateCurves.StepDrop(t),
            _ => 1.0,
        };
        return ramp * decay;
    }

    /// <summary>Parses cosine, step or constant.</summary>
    public static LearningRateSchedule Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cosine" => LearningRateSchedule.Cosine,
        "step" => LearningRateSchedule.Step,
        "constant" => LearningRateSchedule.Constant,
        _ => throw new GanSharpException($"learning-rate schedule '{name}': use cosine, step or constant"),
    };
}
