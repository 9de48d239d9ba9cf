using System.Runtime.InteropServices;

namespace GanSharp.Platform;

/// <summary>
/// libtorch's global backend switches on <c>at::globalContext()</c> that TorchSharp does not wrap:
/// <c>setUserEnabledMkldnn</c> (oneDNN) and <c>setUserEnabledNNPACK</c>. Reached through the exported
/// Itanium-mangled C++ symbols of libtorch_cpu (Linux/macOS); where they are absent (e.g. MSVC builds)
/// <see cref="IsAvailable"/> is false and the setters throw.
/// </summary>
public static unsafe class LibTorchSwitches
{
    sealed record Exports(nint Context, nint SetMkldnn, nint GetMkldnn, nint SetNnpack, nint GetNnpack);

    static readonly Lazy<Exports?> Resolved = new(Resolve);

    static Exports? Resolve()
    {
        // TorchSharp has already loaded libtorch_cpu from the application folder; loading it again by the same
        // path returns the same handle.
        nint lib = 0;
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch_cpu.dylib" })
        {
            foreach (var path in new[]
            {
                Path.Combine(AppContext.BaseDirectory, name),
                Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", name),
            })
                if (lib == 0 && File.Exists(path)) NativeLibrary.TryLoad(path, out lib);
        }
        if (lib == 0) NativeLibrary.TryLoad("libtorch_cpu", typeof(LibTorchSwitches).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories, out lib);
        if (lib == 0) return null;
        nint Get(string symbol) => NativeLibrary.TryGetExport(lib, symbol, out var p) ? p : 0;
        var ctxFn = Get("_ZN2at13globalContextEv");
        var e = new Exports(0,
            Get("_ZN2at7Context20setUserEnabledMkldnnEb"), Get("_ZNK2at7Context17userEnabledMkldnnEv"),
            Get("_ZN2at7Context20setUserEnabledNNPACKEb"), Get("_ZNK2at7Context17userEnabledNNPACKEv"));
        if (ctxFn == 0 || e.SetMkldnn == 0 || e.GetMkldnn == 0 || e.SetNnpack == 0 || e.GetNnpack == 0) return null;
        return e with { Context = ((delegate* unmanaged<nint>)ctxFn)() };
    }

    /// <summary>True when the switches can be read and set on this build of libtorch.</summary>
    public static bool IsAvailable => Resolved.Value != null;

    static Exports Require() => Resolved.Value ?? throw new PlatformNotSupportedException("libtorch's backend switches are not exported by this build");

    /// <summary>Whether libtorch may use oneDNN (mkldnn) kernels; libtorch's default is true.</summary>
    public static bool MkldnnEnabled
    {
        get => Resolved.Value is not { } e || ((delegate* unmanaged<nint, byte>)e.GetMkldnn)(e.Context) != 0;
        set { var e = Require(); ((delegate* unmanaged<nint, byte, void>)e.SetMkldnn)(e.Context, value ? (byte)1 : (byte)0); }
    }

    /// <summary>Whether libtorch may try NNPACK convolutions; libtorch's default is true.</summary>
    public static bool NnpackEnabled
    {
        get => Resolved.Value is not { } e || ((delegate* unmanaged<nint, byte>)e.GetNnpack)(e.Context) != 0;
        set { var e = Require(); ((delegate* unmanaged<nint, byte, void>)e.SetNnpack)(e.Context, value ? (byte)1 : (byte)0); }
    }
}
