namespace GanSharp.Diagnostics;

/// <summary>
/// The library's one-line log. Defaults to standard error; the CLI and tests may redirect it.
/// Kept deliberately small: the library logs rarely (start-up checks, guards that fire).
/// </summary>
public static class Log
{
    static Action<string> sink = line => Console.Error.WriteLine(line);

    /// <summary>Replaces where log lines go; returns the previous sink.</summary>
    public static Action<string> SetSink(Action<string> newSink)
    {
        ArgumentNullException.ThrowIfNull(newSink);
        return Interlocked.Exchange(ref sink, newSink);
    }

    /// <summary>Writes one informational line prefixed with <c>gansharp:</c>.</summary>
    public static void Info(string message) => sink("gansharp: " + message);

    /// <summary>Writes one warning line.</summary>
    public static void Warn(string message) => sink("gansharp: warning: " + message);
}
