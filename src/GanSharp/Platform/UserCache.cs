namespace GanSharp.Platform;

/// <summary>GanSharp's per-user cache folder (downloaded emoji packages, numerics verdicts).</summary>
public static class UserCache
{
    /// <summary><c>$GANSHARP_CACHE</c>, or <c>~/.cache/gansharp</c>.</summary>
    public static string Root()
    {
        var env = Environment.GetEnvironmentVariable("GANSHARP_CACHE");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "gansharp");
    }
}
