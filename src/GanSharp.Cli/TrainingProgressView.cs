using System.Globalization;
using GanSharp.Diagnostics;
using GanSharp.Training;
using Spectre.Console;

namespace GanSharp.Cli;

/// <summary>
/// Shows training progress: a Spectre progress bar with the losses and steps/s on an interactive terminal, and a plain
/// line every few percent when the output is redirected (logs, CI, tests).
/// </summary>
public static class TrainingProgressView
{
    /// <summary>Runs <paramref name="train"/>, rendering the progress it reports.</summary>
    public static TrainingResult Run(CliContext ctx, string title, long totalSteps, Func<IProgress<TrainingProgress>, TrainingResult> train)
    {
        if (ctx.Console.Profile.Capabilities.Interactive)
        {
            TrainingResult? result = null;
            ctx.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(p =>
                {
                    var task = p.AddTask(Markup.Escape(title), maxValue: totalSteps);
                    result = train(new SyncProgress<TrainingProgress>(v =>
                    {
                        task.Value = v.Step;
                        task.Description = Markup.Escape($"{title} {v.Step}/{v.TotalSteps} {Format(v)}");
                    }));
                });
            return result!;
        }
        long every = Math.Max(1, totalSteps / 20);
        return train(new SyncProgress<TrainingProgress>(v =>
        {
            if (v.Event != null || v.Step % every == 0 || v.Step == v.TotalSteps)
                ctx.Error.WriteLine($"{title}: step {v.Step}/{v.TotalSteps} {Format(v)}{(v.Event != null ? " — " + v.Event : "")}");
        }));
    }

    static string Format(TrainingProgress v) =>
        string.Join(' ', v.Scalars.Where(kv => kv.Key is "d_loss" or "g_loss" or "wasserstein").Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:0.###}")))
        + string.Create(CultureInfo.InvariantCulture, $" {v.StepsPerSecond:0.00} steps/s");
}
