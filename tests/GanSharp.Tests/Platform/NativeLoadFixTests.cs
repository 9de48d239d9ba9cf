using GanSharp.Platform;

namespace GanSharp.Tests.Platform;

public class NativeLoadFixTests
{
    static readonly string[] Allowed = NativeLoadFix.AllowedSymbols;

    static string OutputLibrary()
    {
        var lib = NativeLoadFix.FindTorchSharpNative();
        Assert.NotNull(lib);
        return lib!;
    }

    [LinuxFact]
    public void BuildOutputCopyIsPatchedExactlyWhenTheHostLacksTheVersion()
    {
        var host = ElfVersionNeeds.FindHostLibrary("libstdc++.so.6");
        Assert.NotNull(host);
        bool hostHas = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(host!)).Contains(NativeLoadFix.Version);
        var need = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(OutputLibrary()))
            .Single(n => n.File == "libstdc++.so.6" && n.Version == NativeLoadFix.Version);
        Assert.Equal(!hostHas, need.IsWeak);
        var status = NativeLoadFix.Inspect();
        Assert.Equal(hostHas ? "not needed" : "applied", status.Status);
    }

    [Fact]
    public void OnlyTheLinkTimeMarkerBindsToTheWeakenedVersion()
    {
        var elf = File.ReadAllBytes(OutputLibrary());
        var need = ElfVersionNeeds.ReadNeeds(elf).Single(n => n.Version == NativeLoadFix.Version);
        Assert.Equal(Allowed, ElfVersionNeeds.SymbolsBoundTo(elf, need.Index));
        // Other libstdc++ versions keep real symbols bound to them and are never weakened.
        var other = ElfVersionNeeds.ReadNeeds(elf).First(n => n.Version == "GLIBCXX_3.4.30");
        Assert.False(other.IsWeak);
        Assert.NotEmpty(ElfVersionNeeds.SymbolsBoundTo(elf, other.Index));
    }

    [Fact]
    public void PatchIsANoOpWhereTheHostHasTheVersionAndRefusesUnsafeEdits()
    {
        var elf = Unpatched();
        Assert.Equal(NativeFixOutcome.NotNeeded, ElfVersionNeeds.Plan(elf, "libstdc++.so.6", NativeLoadFix.Version,
            new HashSet<string> { NativeLoadFix.Version }, Allowed, out _));
        Assert.Equal(NativeFixOutcome.Applied, ElfVersionNeeds.Plan(elf, "libstdc++.so.6", NativeLoadFix.Version,
            new HashSet<string>(), Allowed, out _));
        Assert.Equal(NativeFixOutcome.Refused, ElfVersionNeeds.Plan(elf, "libstdc++.so.6", NativeLoadFix.Version,
            new HashSet<string>(), Array.Empty<string>(), out _));
        Assert.Equal(NativeFixOutcome.NotNeeded, ElfVersionNeeds.Plan(elf, "libstdc++.so.6", "GLIBCXX_9.9",
            new HashSet<string>(), Allowed, out _));
    }

    [LinuxFact]
    public void PatchReplacesTheFileSoAHardLinkedOriginalIsUntouched()
    {
        var dir = Directory.CreateTempSubdirectory("gansharp-elf-");
        try
        {
            var original = Path.Combine(dir.FullName, "cache.so");
            var output = Path.Combine(dir.FullName, "out.so");
            File.WriteAllBytes(original, Unpatched());
            Assert.Equal(0, link(original, output));
            // A fake host libstdc++ without GLIBCXX_3.4.32: the build output's own copy defines no versions at all.
            var outcome = ElfVersionNeeds.WeakenIfMissing(output, "libstdc++.so.6", NativeLoadFix.Version, Allowed, original, out var detail);
            Assert.Equal(NativeFixOutcome.Applied, outcome);
            Assert.Contains("weak", detail);
            Assert.True(Need(File.ReadAllBytes(output)).IsWeak);
            Assert.False(Need(File.ReadAllBytes(original)).IsWeak);
            // Idempotent.
            Assert.Equal(NativeFixOutcome.AlreadyApplied,
                ElfVersionNeeds.WeakenIfMissing(output, "libstdc++.so.6", NativeLoadFix.Version, Allowed, original, out _));
            // Only the flags of that one entry changed.
            var a = File.ReadAllBytes(original);
            var b = File.ReadAllBytes(output);
            var diff = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
            Assert.Equal(new[] { (int)Need(a).FlagsOffset }, diff);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void NonElfAndTruncatedFilesAreRejectedCleanly()
    {
        Assert.False(ElfVersionNeeds.IsElf64(new byte[] { 1, 2, 3 }));
        var elf = Unpatched();
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ReadNeeds(elf.AsSpan(0, 4096).ToArray()));
    }

    static ElfVersionNeed Need(byte[] elf) => ElfVersionNeeds.ReadNeeds(elf).Single(n => n.Version == NativeLoadFix.Version);

    /// <summary>The output library with the weak flag cleared again: what the package ships.</summary>
    static byte[] Unpatched()
    {
        var elf = File.ReadAllBytes(OutputLibrary());
        var need = Need(elf);
        ushort flags = (ushort)(need.Flags & ~ElfVersionNeeds.VerFlagWeak);
        elf[need.FlagsOffset] = (byte)(flags & 0xff);
        elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
        return elf;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    static extern int link(string oldpath, string newpath);
}
