using System.Runtime.CompilerServices;

namespace GanSharp.Tests;

/// <summary>Process-wide settings of the test run, applied before any test.</summary>
internal static class TestProcessSetup
{
    /// <summary>
    /// In-process CLI runs use the safe convolution path unless a test asks for the fast one: switching the path is
    /// process-wide and would change the numerics of tests running in parallel. Fast-path tests live in the
    /// <see cref="Platform.GlobalTorchStateCollection"/>, which runs alone.
    /// </summary>
    [ModuleInitializer]
    internal static void Init()
    {
        if (Environment.GetEnvironmentVariable("GANSHARP_CONV") is null) Environment.SetEnvironmentVariable("GANSHARP_CONV", "safe");
    }
}
