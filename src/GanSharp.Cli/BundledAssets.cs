namespace GanSharp.Cli;

/// <summary>Finds the bundled assets folder (samples, checkpoints).</summary>
public static class BundledAssets
{
    /// <summary>
    /// The explicit folder if given, else <c>$GANSHARP_ASSETS</c>, else the first <c>assets/</c> found walking up from
    /// the application folder and from the current folder.
    /// </summary>
    public static string Locate(string? explicitFolder)
    {
        if (!string.IsNullOrEmpty(explicitFolder))
            return Directory.Exists(explicitFolder) ? Path.GetFullPath(explicitFolder)
                : throw new GanSharpException($"--assets {explicitFolder}: folder not found");
        var env = Environment.GetEnvironmentVariable("GANSHARP_ASSETS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "assets");
                if (File.Exists(Path.Combine(candidate, "ASSETS.md"))) return candidate;
            }
        throw new GanSharpException("bundled assets folder not found", "run from a GanSharp checkout, or pass --assets PATH / set GANSHARP_ASSETS");
    }

    /// <summary>The bundled samples folder (<c>assets/samples</c>), or null when no assets folder is found.</summary>
    public static string? SamplesOrNull(string? explicitFolder)
    {
        try { return Path.Combine(Locate(explicitFolder), "samples"); }
        catch (GanSharpException) when (string.IsNullOrEmpty(explicitFolder)) { return null; }
    }
}
