namespace GanSharp.Training;

/// <summary>What differs between a resumed run's settings and the ones a resume is asked to train with.</summary>
public static class SettingsChanges
{
    /// <summary>
    /// The properties of <paramref name="now"/> that differ from <paramref name="resumed"/>, as "name: old → new", skipping
    /// those named in <paramref name="free"/> (settings that do not change what is trained, such as intervals).
    /// </summary>
    public static IReadOnlyList<string> Between<T>(T resumed, T now, IReadOnlySet<string> free) where T : notnull =>
        typeof(T).GetProperties()
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract" && !free.Contains(p.Name))
            .Select(p => (p.Name, Old: p.GetValue(resumed), New: p.GetValue(now)))
            .Where(x => !Equals(x.Old, x.New))
            .Select(x => $"{x.Name}: {x.Old ?? "(none)"} → {x.New ?? "(none)"}")
            .ToArray();

    /// <summary>Appends one line to the run folder's <c>overrides.txt</c>: when, from which checkpoint, what changed.</summary>
    public static void Record(string runFolder, string checkpoint, IReadOnlyList<string> overrides) =>
        File.AppendAllText(Path.Combine(runFolder, "overrides.txt"), $"{DateTime.UtcNow:O} resumed from {checkpoint} with: {string.Join("; ", overrides)}\n");
}
