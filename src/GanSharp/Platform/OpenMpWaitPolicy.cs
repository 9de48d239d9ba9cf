using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GanSharp.Platform;

/// <summary>
/// Sets OpenMP's wait policy to <c>PASSIVE</c> before libtorch (and its libgomp) is loaded, unless the user chose one.
/// </summary>
/// <remarks>
/// libgomp's default lets idle threads spin at every barrier. When the cores are shared (another job, parallel tests,
/// CI neighbours) the spinning threads take the time slices the working thread needs: on this 2-core machine with one
/// core busy, one DCGAN training step took 9.3 s with the default and 0.23 s with <c>PASSIVE</c> (41×; <c>gansharp demo</c>
/// 299 s against 7.7 s), measured side by side (bench/README.md). libgomp reads the variable once, when it is loaded, so
/// it is set in the native environment (libc <c>setenv</c>; .NET's own <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach native code on Unix) from this assembly's module initialiser, before any TorchSharp call.
/// <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c> set by the user are left alone.
/// </remarks>
public static partial class OpenMpWaitPolicy
{
    /// <summary>The variable libgomp reads.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>The value GanSharp sets when the user set none.</summary>
    public const string Default = "PASSIVE";

    /// <summary>One line for <c>gansharp doctor</c>: the policy in force and who chose it.</summary>
    public static string Description { get; private set; } = "not applied (not initialised)";

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

#pragma warning disable CA2255 // must run before any TorchSharp call loads libgomp, which reads the variable once
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        string? user = Environment.GetEnvironmentVariable(Variable);
        string? spin = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        if (!string.IsNullOrWhiteSpace(user) || !string.IsNullOrWhiteSpace(spin))
        {
            Description = !string.IsNullOrWhiteSpace(user) ? $"{Variable}={user} (set by the user)" : $"GOMP_SPINCOUNT={spin} (set by the user)";
            return;
        }
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Description = "OpenMP default (not Linux or macOS)";
            return;
        }
        try
        {
            if (SetEnv(Variable, Default, 0) != 0)
            {
                Description = "OpenMP default (setenv failed)";
                return;
            }
            Environment.SetEnvironmentVariable(Variable, Default); // child processes and managed readers see it too
            Description = $"{Variable}={Default} (set by GanSharp: idle OpenMP threads sleep instead of spinning; set {Variable} to override)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Description = $"OpenMP default (libc setenv unavailable: {e.Message})";
        }
    }
}
