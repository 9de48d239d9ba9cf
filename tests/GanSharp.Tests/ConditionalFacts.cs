namespace GanSharp.Tests;

/// <summary>
/// A fact that runs only when an environment variable is "1" (slow or networked tests) and otherwise is reported as
/// skipped with the reason, instead of passing without running.
/// </summary>
public sealed class EnvFactAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="variable"/> is "1"; <paramref name="why"/> says what the test needs.</summary>
    public EnvFactAttribute(string variable, string why)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1") Skip = $"{why}: set {variable}=1 to run it";
    }
}

/// <summary>A fact that runs on Linux only and is reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Skips on other systems.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only (ELF native libraries)";
    }
}
