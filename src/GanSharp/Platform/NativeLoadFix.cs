namespace GanSharp.Platform;

/// <summary>State of the GLIBCXX_3.4.32 load fix (PLATFORM.md) for the libLibTorchSharp.so this process uses.</summary>
/// <param name="LibraryPath">The library inspected, or null if not found.</param>
/// <param name="Status"><c>applied</c>, <c>not needed</c>, <c>missing</c> or <c>unknown</c>.</param>
/// <param name="Detail">One line for humans.</param>
public sealed record NativeLoadFixStatus(string? LibraryPath, string Status, string Detail);

/// <summary>Reports whether the build applied the native-load fix; the fix itself runs in the build (build/TorchSharpNativeFix.targets).</summary>
public static class NativeLoadFix
{
    /// <summary>The version requirement that the fix weakens.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>The only symbol allowed to bind to <see cref="Version"/>: GCC 13's link-time iostream marker.</summary>
    public static readonly string[] AllowedSymbols = { "_ZSt21ios_base_library_initv" };

    /// <summary>Finds the libLibTorchSharp.so next to the running application.</summary>
    public static string? FindTorchSharpNative()
    {
        foreach (var p in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
        })
            if (File.Exists(p)) return p;
        return null;
    }

    /// <summary>Inspects the library without changing it.</summary>
    public static NativeLoadFixStatus Inspect(string? libraryPath = null, string? hostLibstdcxx = null)
    {
        libraryPath ??= FindTorchSharpNative();
        if (!OperatingSystem.IsLinux()) return new(libraryPath, "not needed", "not Linux");
        if (libraryPath == null) return new(null, "unknown", "libLibTorchSharp.so not found next to the application");
        try
        {
            var elf = File.ReadAllBytes(libraryPath);
            var need = ElfVersionNeeds.ReadNeeds(elf).FirstOrDefault(n => n.File == "libstdc++.so.6" && n.Version == Version);
            hostLibstdcxx ??= ElfVersionNeeds.FindHostLibrary("libstdc++.so.6");
            bool hostHas = hostLibstdcxx != null && ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(hostLibstdcxx)).Contains(Version);
            if (need == null) return new(libraryPath, "not needed", $"library does not require {Version}");
            if (need.IsWeak) return new(libraryPath, "applied", $"{Version} requirement marked weak (host libstdc++ {(hostHas ? "has" : "lacks")} it)");
            if (hostHas) return new(libraryPath, "not needed", $"host {hostLibstdcxx} defines {Version}");
            return new(libraryPath, "missing", $"host libstdc++ lacks {Version} and the library was not patched: rebuild with dotnet build");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new(libraryPath, "unknown", e.Message);
        }
    }
}
