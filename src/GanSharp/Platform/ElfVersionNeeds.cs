// Shared between the GanSharp library (runtime reporting in `gansharp doctor`) and the
// build (an MSBuild inline task compiled from this very file, see build/TorchSharpNativeFix.targets).
// Keep it free of dependencies beyond the BCL and of C# features newer than C# 10.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace GanSharp.Platform
{
    /// <summary>One entry of an ELF file's <c>.gnu.version_r</c> section: a symbol version needed from a shared library.</summary>
    public sealed class ElfVersionNeed
    {
        /// <summary>Creates an entry.</summary>
        public ElfVersionNeed(string file, string version, ushort index, ushort flags, long flagsOffset)
        {
            File = file; Version = version; Index = index; Flags = flags; FlagsOffset = flagsOffset;
        }
        /// <summary>The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</summary>
        public string File { get; }
        /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }
        /// <summary>The version index that <c>.gnu.version</c> uses to bind symbols to this need.</summary>
        public ushort Index { get; }
        /// <summary>The raw <c>vna_flags</c>.</summary>
        public ushort Flags { get; }
        /// <summary>File offset of <c>vna_flags</c>.</summary>
        public long FlagsOffset { get; }
        /// <summary>True when VER_FLG_WEAK is set: the dynamic loader does not fail if the version is absent.</summary>
        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
    }

    /// <summary>Outcome of <see cref="ElfVersionNeeds.WeakenIfMissing"/>.</summary>
    public enum NativeFixOutcome
    {
        /// <summary>The library does not need the version, or the host library already defines it.</summary>
        NotNeeded,
        /// <summary>The requirement was marked weak by this call.</summary>
        Applied,
        /// <summary>The requirement was already weak (an earlier build patched it).</summary>
        AlreadyApplied,
        /// <summary>Symbols other than the allowed link-time markers are bound to the version: weakening it would be unsafe.</summary>
        Refused,
        /// <summary>The file is not a 64-bit little-endian ELF shared object, or the host library was not found.</summary>
        NotApplicable,
    }

    /// <summary>
    /// Reads and edits the symbol-version requirements of a 64-bit little-endian ELF file.
    /// Used to make <c>libLibTorchSharp.so</c> load on hosts whose libstdc++ lacks
    /// <c>GLIBCXX_3.4.32</c>, whose only bound symbol is a link-time marker (see PLATFORM.md).
    /// </summary>
    public static class ElfVersionNeeds
    {
        /// <summary>VER_FLG_WEAK from elf.h.</summary>
        public const ushort VerFlagWeak = 0x2;
        const uint ShtDynsym = 11, ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

        struct Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; public long EntSize; }

        /// <summary>True when <paramref name="elf"/> starts with a 64-bit little-endian ELF header.</summary>
        public static bool IsElf64(byte[] elf) =>
            elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;

        static Section[] Sections(byte[] elf)
        {
            if (!IsElf64(elf)) throw new InvalidDataException("not a 64-bit little-endian ELF file");
            long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > elf.Length)
                throw new InvalidDataException("ELF section header table is missing or truncated");
            var result = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long o = shoff + (long)i * shentsize;
                result[i] = new Section
                {
                    Type = BitConverter.ToUInt32(elf, (int)o + 4),
                    Offset = (long)BitConverter.ToUInt64(elf, (int)o + 24),
                    Size = (long)BitConverter.ToUInt64(elf, (int)o + 32),
                    Link = BitConverter.ToUInt32(elf, (int)o + 40),
                    Info = BitConverter.ToUInt32(elf, (int)o + 44),
                    EntSize = (long)BitConverter.ToUInt64(elf, (int)o + 56),
                };
                if (result[i].Type != 8 /* NOBITS */ && result[i].Offset + result[i].Size > elf.Length)
                    throw new InvalidDataException("ELF section " + i + " lies outside the file (truncated?)");
            }
            return result;
        }

        static string CString(byte[] elf, long offset)
        {
            if (offset < 0 || offset >= elf.Length) throw new InvalidDataException("ELF string offset out of range");
            int end = Array.IndexOf(elf, (byte)0, (int)offset);
            if (end < 0) throw new InvalidDataException("unterminated ELF string");
            return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
        }

        /// <summary>All version requirements (<c>.gnu.version_r</c>) of the file.</summary>
        public static IReadOnlyList<ElfVersionNeed> ReadNeeds(byte[] elf)
        {
            var sections = Sections(elf);
            var list = new List<ElfVersionNeed>();
            foreach (var s in sections.Where(s => s.Type == ShtGnuVerneed))
            {
                long strtab = sections[s.Link].Offset;
                long vn = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    int cnt = BitConverter.ToUInt16(elf, (int)vn + 2);
                    string file = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)vn + 4));
                    long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                    for (int j = 0; j < cnt; j++)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        ushort other = BitConverter.ToUInt16(elf, (int)aux + 6);
                        string name = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                        list.Add(new ElfVersionNeed(file, name, other, flags, aux + 4));
                        uint next = BitConverter.ToUInt32(elf, (int)aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = BitConverter.ToUInt32(elf, (int)vn + 12);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return list;
        }

        /// <summary>All versions a shared library defines (<c>.gnu.version_d</c>), e.g. GLIBCXX_3.4.30.</summary>
        public static ISet<string> ReadDefinitions(byte[] elf)
        {
            var sections = Sections(elf);
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in sections.Where(s => s.Type == ShtGnuVerdef))
            {
                long strtab = sections[s.Link].Offset;
                long vd = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    long aux = vd + BitConverter.ToUInt32(elf, (int)vd + 12);
                    set.Add(CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux)));
                    uint next = BitConverter.ToUInt32(elf, (int)vd + 16);
                    if (next == 0) break;
                    vd += next;
                }
            }
            return set;
        }

        /// <summary>Names of the dynamic symbols whose version index (<c>.gnu.version</c>) is <paramref name="versionIndex"/>.</summary>
        public static IReadOnlyList<string> SymbolsBoundTo(byte[] elf, ushort versionIndex)
        {
            var sections = Sections(elf);
            var names = new List<string>();
            var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
            var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
            if (versym.Type == 0 || dynsym.Type == 0) return names;
            long strtab = sections[dynsym.Link].Offset;
            long count = Math.Min(versym.Size / 2, dynsym.Size / 24);
            for (long i = 0; i < count; i++)
            {
                ushort v = (ushort)(BitConverter.ToUInt16(elf, (int)(versym.Offset + 2 * i)) & 0x7fff);
                if (v != versionIndex) continue;
                names.Add(CString(elf, strtab + BitConverter.ToUInt32(elf, (int)(dynsym.Offset + 24 * i))));
            }
            return names;
        }

        /// <summary>Where the host's dynamic loader would find <paramref name="soname"/>: LD_LIBRARY_PATH, then the usual system folders.</summary>
        public static string? FindHostLibrary(string soname)
        {
            var dirs = new List<string>();
            var ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ld)) dirs.AddRange(ld!.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
            dirs.AddRange(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64", "/usr/local/lib" });
            foreach (var d in dirs)
            {
                var p = Path.Combine(d, soname);
                if (System.IO.File.Exists(p)) return p;
            }
            return null;
        }

        /// <summary>
        /// Decides whether the requirement <paramref name="version"/> from <paramref name="fromFile"/> must be weakened,
        /// without changing anything. <paramref name="hostDefinitions"/> are the versions the host library defines.
        /// </summary>
        public static NativeFixOutcome Plan(byte[] elf, string fromFile, string version, ICollection<string> hostDefinitions,
            ICollection<string> allowedSymbols, out ElfVersionNeed? need)
        {
            need = ReadNeeds(elf).FirstOrDefault(n => n.File == fromFile && n.Version == version);
            if (need == null) return NativeFixOutcome.NotNeeded;
            if (need.IsWeak) return NativeFixOutcome.AlreadyApplied;
            if (hostDefinitions.Contains(version)) return NativeFixOutcome.NotNeeded;
            var bound = SymbolsBoundTo(elf, need.Index);
            if (bound.Any(b => !allowedSymbols.Contains(b))) return NativeFixOutcome.Refused;
            return NativeFixOutcome.Applied;
        }

        /// <summary>
        /// Marks the requirement weak in <paramref name="libraryPath"/> when the host library (found with
        /// <see cref="FindHostLibrary"/> unless given) lacks it and only <paramref name="allowedSymbols"/> bind to it.
        /// The file is replaced atomically (written beside it, then renamed), so a hard link into a package cache is
        /// never modified in place.
        /// </summary>
        public static NativeFixOutcome WeakenIfMissing(string libraryPath, string fromFile, string version,
            ICollection<string> allowedSymbols, string? hostLibraryPath, out string detail)
        {
            byte[] elf = System.IO.File.ReadAllBytes(libraryPath);
            if (!IsElf64(elf)) { detail = libraryPath + " is not a 64-bit ELF file"; return NativeFixOutcome.NotApplicable; }
            hostLibraryPath ??= FindHostLibrary(fromFile);
            if (hostLibraryPath == null) { detail = "host " + fromFile + " not found"; return NativeFixOutcome.NotApplicable; }
            var hostDefs = ReadDefinitions(System.IO.File.ReadAllBytes(hostLibraryPath));
            var outcome = Plan(elf, fromFile, version, hostDefs, allowedSymbols, out var need);
            switch (outcome)
            {
                case NativeFixOutcome.Applied:
                    long o = need!.FlagsOffset;
                    ushort flags = (ushort)(need.Flags | VerFlagWeak);
                    elf[o] = (byte)(flags & 0xff);
                    elf[o + 1] = (byte)(flags >> 8);
                    string tmp = libraryPath + ".gansharp-tmp";
                    System.IO.File.WriteAllBytes(tmp, elf);
                    System.IO.File.Replace(tmp, libraryPath, null);
                    detail = "marked " + version + " weak in " + libraryPath + " (host " + hostLibraryPath + " lacks it)";
                    break;
                case NativeFixOutcome.AlreadyApplied: detail = version + " already weak in " + libraryPath; break;
                case NativeFixOutcome.Refused: detail = "symbols other than link-time markers bind to " + version + "; not weakened"; break;
                default: detail = "host " + hostLibraryPath + " defines " + version + " (or it is not required); nothing to do"; break;
            }
            return outcome;
        }
    }

#if !GANSHARP_LIBRARY
    /// <summary>MSBuild task: applies <see cref="ElfVersionNeeds.WeakenIfMissing"/> to every file in <c>Libraries</c>.</summary>
    public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
    {
        /// <summary>Copies of libLibTorchSharp.so in the build or publish output.</summary>
        [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
            foreach (var item in Libraries)
            {
                try
                {
                    var outcome = ElfVersionNeeds.WeakenIfMissing(item.ItemSpec, "libstdc++.so.6", "GLIBCXX_3.4.32",
                        new[] { "_ZSt21ios_base_library_initv" }, null, out var detail);
                    var importance = outcome == NativeFixOutcome.Applied ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low;
                    if (outcome == NativeFixOutcome.Refused) Log.LogWarning("GanSharp native fix: " + detail);
                    else Log.LogMessage(importance, "GanSharp native fix: " + detail);
                }
                catch (Exception e)
                {
                    Log.LogWarning("GanSharp native fix: could not inspect " + item.ItemSpec + ": " + e.Message);
                }
            }
            return true;
        }
    }
#endif
}
