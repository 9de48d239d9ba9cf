using GanSharp.Platform;

namespace GanSharp.Tests.Platform;

/// <summary>The doctor's symbol check of libLibTorchSharp.so, read from the ELF files without loading them.</summary>
public class NativeSymbolsTests
{
    [LinuxFact]
    public void TheBundledLibTorchResolvesEverySymbolTorchSharpNeeds()
    {
        var report = NativeSymbolReport.CheckTorchSharp();
        Assert.NotNull(report);
        Assert.True(report!.Ok, report.Summary);
        Assert.True(report.Undefined > 1000, report.Summary);                 // TorchSharp 0.107 needs ~1,300 symbols
        Assert.Contains("libtorch_cpu.so", report.Resolved.Keys);              // found through libtorch.so's own needs
        Assert.Contains("all ", report.Summary);
    }

    [LinuxFact]
    public void ALibTorchThatIsNotThereIsNamedWithTheSymbolsItWouldHaveGiven()
    {
        var lib = NativeLoadFix.FindTorchSharpNative();
        Assert.NotNull(lib);
        var empty = Directory.CreateTempSubdirectory("gansharp-nolibtorch-").FullName;
        try
        {
            var report = NativeSymbolReport.Check(lib!, new[] { empty });
            Assert.False(report.Ok);
            Assert.Contains("libtorch.so", report.MissingLibraries);
            Assert.NotEmpty(report.Unresolved);
            Assert.Contains("missing libraries: ", report.Summary);
            Assert.Contains("symbols unresolved, e.g.", report.Summary);
        }
        finally { Directory.Delete(empty); }
    }

    [Fact]
    public void AFileThatIsNotElfIsRefusedClearly()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an ELF file");
            var e = Assert.Throws<InvalidDataException>(() => ElfDynamicInfo.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
