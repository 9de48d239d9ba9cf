using GanSharp.Platform;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.Platform;

public class LoadedLibTorchTests
{
    [LinuxFact]
    public void DoctorNamesTheLibTorchFileThisProcessLoaded()
    {
        TorchRuntime.EnsureInitialized();
        var path = LoadedLibTorch.Path();
        Assert.NotNull(path);
        Assert.Equal("libtorch_cpu.so", Path.GetFileName(path));
        Assert.True(File.Exists(path), path);
        Assert.StartsWith(path!, DoctorReport.Collect().LibTorchLoaded);
        Assert.Empty(DoctorReport.Collect().Gpus); // no CUDA in this build: nvidia-smi is not asked
    }

    [Fact]
    public void AnInstalledPyTorchsVersionIsReadBesideItsLibFolder()
    {
        using var dir = new TempFolder();
        var lib = Directory.CreateDirectory(Path.Combine(dir.Path, "torch", "lib")).FullName;
        Assert.Null(LoadedLibTorch.VersionBeside(lib)); // a bare libtorch (TorchSharp's package) has none
        File.WriteAllText(Path.Combine(dir.Path, "torch", "version.py"),
            "from typing import Optional\n\n__all__ = ['__version__']\n__version__ = '2.11.0+cu130'\ncuda: Optional[str] = '13.0'\n");
        Assert.Equal("2.11.0+cu130", LoadedLibTorch.VersionBeside(lib));
    }
}
