using System.Globalization;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Training;

namespace GanSharp.Cli.Commands;

/// <summary>What the training verbs share around a run folder: the resumed run's settings, the overrides rule, the last line.</summary>
internal static class TrainingRuns
{
    /// <summary>The settings that do not change what is trained, so a resume may change them freely.</summary>
    public static readonly IReadOnlySet<string> FreeOnResume = new HashSet<string> { "Steps", "SampleEvery", "CheckpointEvery", "Description" };

    /// <summary>The <c>settings</c> object of a run folder's config, as <typeparamref name="T"/>; <paramref name="verb"/> names the command in the hint.</summary>
    public static T ReadSettings<T>(string runFolder, string verb) where T : class
    {
        var path = Path.Combine(runFolder, RunFolder.ConfigFileName);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("settings").Deserialize<T>(CheckpointManifest.JsonOptions)
                ?? throw new GanSharpException($"{path}: no settings");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IOException)
        {
            throw new GanSharpException($"{path}: cannot read the run's settings ({e.Message})", $"resume a run made by gansharp {verb}");
        }
    }

    /// <summary>
    /// The settings of <paramref name="now"/> that differ from the <paramref name="resumed"/> run's (all but
    /// <see cref="FreeOnResume"/>); refused unless <paramref name="allowed"/> (<c>--override</c>).
    /// </summary>
    public static IReadOnlyList<string> Overrides<T>(T resumed, T now, bool allowed) where T : notnull
    {
        var overrides = SettingsChanges.Between(resumed, now, FreeOnResume);
        if (overrides.Count > 0 && !allowed)
            throw new GanSharpException("--resume continues the run exactly, but these settings differ from the resumed run's: " + string.Join("; ", overrides),
                "drop those flags, or pass --override to train with them (recorded in the run folder's overrides.txt)");
        return overrides;
    }

    /// <summary>
    /// A resume's bookkeeping: the run's config becomes <paramref name="config"/> (the settings this resume trains with,
    /// so a later plain <c>--resume</c> keeps an accepted override and the last <c>--steps</c>), and accepted overrides
    /// are recorded in the run folder and said.
    /// </summary>
    public static void Record(CliContext ctx, RunFolder run, string checkpoint, IReadOnlyList<string> overrides, JsonElement config)
    {
        run.WriteConfig(config);
        if (overrides.Count == 0) return;
        SettingsChanges.Record(run.Path, checkpoint, overrides);
        ctx.Error.WriteLine("overriding the resumed run's settings: " + string.Join("; ", overrides));
    }

    /// <summary>Prints how the run ended (step, speed, checkpoint, samples, loss curves); returns the exit code.</summary>
    public static int Finish(CliContext ctx, TrainingResult result, RunFolder run)
    {
        ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(result.Completed ? "finished" : "stopped")} at step {result.Step} ({result.StepsPerSecond:0.00} steps/s); checkpoint: {result.LastCheckpoint}; samples: {run.SamplesDirectory}{(result.LossCurves is { } curves ? "; loss curves: " + curves : "")}"));
        return result.Completed ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>A dataset spec as a run-folder name part: letters and digits kept, the rest '-'.</summary>
    public static string Slug(string spec) => new(spec.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray());
}
