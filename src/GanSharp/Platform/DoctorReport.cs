using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace GanSharp.Platform;

/// <summary>Everything <c>gansharp doctor</c> reports; also shown at the top of the demo report.</summary>
public sealed record DoctorReport(
    string GanSharpVersion,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Os,
    string Runtime,
    int Cores,
    IReadOnlyList<string> Devices,
    int Threads,
    string OpenMpWaitPolicy,
    NativeLoadFixStatus NativeLoadFix,
    NumericsReport Numerics)
{
    /// <summary>The loaded <c>libtorch_cpu.so</c> and, for a PyTorch installation, its version; null where it cannot be told.</summary>
    public string? LibTorchLoaded { get; init; }

    /// <summary>Whether libLibTorchSharp.so's symbols resolve against the libtorch in use (Linux), read from the files; null elsewhere.</summary>
    public NativeSymbolReport? LibTorchSymbols { get; init; }

    /// <summary>The NVIDIA GPUs (name, memory, compute capability) when CUDA is available; empty otherwise.</summary>
    public IReadOnlyList<string> Gpus { get; init; } = Array.Empty<string>();

    /// <summary>Collects the report; initialises TorchSharp (and so runs the numerics check) if needed.</summary>
    public static DoctorReport Collect()
    {
        var numerics = TorchRuntime.EnsureInitialized();
        return new DoctorReport(
            VersionOf(typeof(DoctorReport).Assembly),
            VersionOf(typeof(torch).Assembly),
            torch.__version__,
            RuntimeInformation.OSDescription + " (" + RuntimeInformation.OSArchitecture + ")",
            RuntimeInformation.FrameworkDescription,
            Environment.ProcessorCount,
            TorchRuntime.ListDevices(),
            torch.get_num_threads(),
            Platform.OpenMpWaitPolicy.Description,
            Platform.NativeLoadFix.Inspect(),
            numerics)
        {
            LibTorchLoaded = LoadedLibTorch.Path() is { } path
                ? path + (LoadedLibTorch.VersionBeside(System.IO.Path.GetDirectoryName(path)!) is { } v ? $" (PyTorch {v})" : "")
                : null,
            Gpus = torch.cuda.is_available() ? LoadedLibTorch.Gpus() : Array.Empty<string>(),
            LibTorchSymbols = NativeSymbolReport.CheckTorchSharp(),
        };
    }

    /// <summary>The informational version of an assembly without the source-revision suffix.</summary>
    public static string VersionOf(Assembly asm)
    {
        var v = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? asm.GetName().Version?.ToString() ?? "?";
        int plus = v.IndexOf('+');
        return plus > 0 ? v[..plus] : v;
    }
}
