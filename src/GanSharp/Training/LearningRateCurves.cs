namespace GanSharp.Training;

/// <summary>
/// The learning-rate curves every trainer in GanSharp uses (the GAN and translation loop's <see cref="LrSchedule"/>,
/// the inversion's schedule, the feature network's decay): factors of the base rate, as functions of the progress.
/// </summary>
public static class LearningRateCurves
{
    /// <summary>Half a cosine from 1 at <paramref name="t"/> = 0 down to <paramref name="floor"/> at t = 1 (t clamped to [0, 1]).</summary>
    public static double Cosine(double t, double floor = 0) => floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(t, 0, 1)));

    /// <summary>1, then a straight line down to 0 over the last <paramref name="fraction"/> of <paramref name="steps"/> (CycleGAN's schedule).</summary>
    public static double LinearDecay(long step, long steps, double fraction) =>
        step < steps * (1 - fraction) ? 1.0 : Math.Max(0.0, (steps - step) / (steps * fraction));

    /// <summary>1, then <paramref name="drop"/> from progress <paramref name="at"/> on.</summary>
    public static double StepDrop(double t, double at = 2.0 / 3.0, double drop = 0.1) => t >= at ? drop : 1.0;

    /// <summary>A linear ramp from 1/<paramref name="warmup"/> to 1 over the first <paramref name="warmup"/> steps, then 1.</summary>
    public static double WarmUp(long step, long warmup) => warmup > 0 && step < warmup ? (step + 1) / (double)warmup : 1.0;
}
