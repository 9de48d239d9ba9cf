using System.Text;

namespace GanSharp.Platform;

/// <summary>What a shared library's dynamic section says: the libraries it needs and its dynamic symbols.</summary>
/// <param name="Needed">DT_NEEDED sonames, in order.</param>
/// <param name="Defined">Names of the symbols it defines (exports).</param>
/// <param name="Undefined">Names of the symbols it needs from others, strong (global) binding.</param>
/// <param name="UndefinedWeak">Names of the weak symbols it needs (the loader leaves them null when absent).</param>
public sealed record ElfDynamicInfo(IReadOnlyList<string> Needed, IReadOnlySet<string> Defined, IReadOnlyList<string> Undefined, IReadOnlyList<string> UndefinedWeak)
{
    const uint ShtDynsym = 11, ShtDynamic = 6;

    /// <summary>
    /// Reads the section headers, <c>.dynsym</c> and <c>.dynamic</c> of a 64-bit little-endian ELF file by seeking
    /// (libtorch_cpu.so is ~500 MB; only its symbol tables are read). Throws <see cref="InvalidDataException"/> for a
    /// file that is not such an ELF file.
    /// </summary>
    public static ElfDynamicInfo Read(string path)
    {
        using var f = File.OpenRead(path);
        var header = ReadAt(f, 0, 64);
        if (!ElfVersionNeeds.IsElf64(header)) throw new InvalidDataException($"{path}: not a 64-bit little-endian ELF file");
        long shoff = (long)BitConverter.ToUInt64(header, 0x28);
        int shentsize = BitConverter.ToUInt16(header, 0x3A), shnum = BitConverter.ToUInt16(header, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > f.Length) throw new InvalidDataException($"{path}: ELF section headers missing or truncated");
        var sh = ReadAt(f, shoff, shnum * shentsize);
        (uint Type, long Offset, long Size, uint Link) Section(int i)
        {
            int o = i * shentsize;
            return (BitConverter.ToUInt32(sh, o + 4), (long)BitConverter.ToUInt64(sh, o + 24), (long)BitConverter.ToUInt64(sh, o + 32), BitConverter.ToUInt32(sh, o + 40));
        }
        var needed = new List<string>();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var undefined = new List<string>();
        var weak = new List<string>();
        for (int i = 0; i < shnum; i++)
        {
            var s = Section(i);
            if (s.Type != ShtDynsym && s.Type != ShtDynamic) continue;
            var str = Section((int)s.Link);
            var strtab = ReadAt(f, str.Offset, (int)str.Size);
            var data = ReadAt(f, s.Offset, (int)s.Size);
            if (s.Type == ShtDynamic)
            {
                for (int o = 0; o + 16 <= data.Length; o += 16)
                {
                    long tag = BitConverter.ToInt64(data, o);
                    if (tag == 0) break;
                    if (tag == 1) needed.Add(CString(strtab, (long)BitConverter.ToUInt64(data, o + 8)));  // DT_NEEDED
                }
                continue;
            }
            for (int o = 24; o + 24 <= data.Length; o += 24) // entry 0 is the null symbol
            {
                string name = CString(strtab, BitConverter.ToUInt32(data, o));
                if (name.Length == 0) continue;
                int bind = data[o + 4] >> 4;            // 1 GLOBAL, 2 WEAK, 10 GNU_UNIQUE
                ushort shndx = BitConverter.ToUInt16(data, o + 6);
                if (shndx != 0) { if (bind != 0) defined.Add(name); }
                else if (bind == 2) weak.Add(name);
                else if (bind == 1) undefined.Add(name);
            }
        }
        return new ElfDynamicInfo(needed, defined, undefined, weak);
    }

    static byte[] ReadAt(FileStream f, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > f.Length) throw new InvalidDataException($"{f.Name}: ELF data outside the file (truncated?)");
        var buffer = new byte[count];
        f.Seek(offset, SeekOrigin.Begin);
        f.ReadExactly(buffer);
        return buffer;
    }

    static string CString(byte[] table, long offset)
    {
        if (offset < 0 || offset >= table.Length) return "";
        int end = Array.IndexOf(table, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(table, (int)offset, (end < 0 ? table.Length : end) - (int)offset);
    }
}

/// <summary>
/// Whether a native library's symbols resolve against the libraries the loader would pick, without loading anything:
/// the check <c>gansharp doctor</c> runs on <c>libLibTorchSharp.so</c> against the libtorch in use (the bundled one, or
/// <c>$GANSHARP_LIBTORCH</c>, e.g. PyTorch's <c>torch/lib</c>), so that a mismatched libtorch is named before it fails.
/// </summary>
/// <param name="Library">The library checked.</param>
/// <param name="Resolved">Every library found in its dependency closure, soname → path.</param>
/// <param name="MissingLibraries">Sonames needed but not found.</param>
/// <param name="Unresolved">Strong undefined symbols of the library that no library of the closure defines.</param>
/// <param name="UnresolvedWeak">Weak undefined symbols left unresolved (harmless: the loader binds them to null), and
/// known link-time markers that are never called (<see cref="NativeLoadFix.AllowedSymbols"/>).</param>
/// <param name="Undefined">How many strong undefined symbols the library has.</param>
public sealed record NativeSymbolReport(string Library, IReadOnlyDictionary<string, string> Resolved, IReadOnlyList<string> MissingLibraries,
    IReadOnlyList<string> Unresolved, IReadOnlyList<string> UnresolvedWeak, int Undefined)
{
    /// <summary>Whether everything the library needs was found.</summary>
    public bool Ok => MissingLibraries.Count == 0 && Unresolved.Count == 0;

    /// <summary>One line for <c>doctor</c>.</summary>
    public string Summary => Ok
        ? $"all {Undefined} symbols {Path.GetFileName(Library)} needs resolve in {Resolved.Count} libraries ({UnresolvedWeak.Count} weak ones or link-time markers unresolved, harmless)"
        : (MissingLibraries.Count > 0 ? $"missing libraries: {string.Join(", ", MissingLibraries)}; " : "") +
          (Unresolved.Count > 0 ? $"{Unresolved.Count} of {Undefined} symbols unresolved, e.g. {string.Join(", ", Unresolved.Take(5))}" : "");

    /// <summary>
    /// Checks <paramref name="library"/>: its DT_NEEDED closure is looked up in <paramref name="folders"/> (in order),
    /// then LD_LIBRARY_PATH and the system folders; its strong undefined symbols must be defined by one of them.
    /// </summary>
    public static NativeSymbolReport Check(string library, IReadOnlyList<string> folders)
    {
        var info = ElfDynamicInfo.Read(library);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(info.Needed);
        while (queue.Count > 0)
        {
            string soname = queue.Dequeue();
            if (resolved.ContainsKey(soname) || missing.Contains(soname)) continue;
            string? path = folders.Select(d => Path.Combine(d, soname)).FirstOrDefault(File.Exists) ?? ElfVersionNeeds.FindHostLibrary(soname);
            if (path is null) { missing.Add(soname); continue; }
            resolved[soname] = path;
            var dep = ElfDynamicInfo.Read(path);
            defined.UnionWith(dep.Defined);
            foreach (var n in dep.Needed) queue.Enqueue(n);
        }
        var unresolved = info.Undefined.Where(s => !defined.Contains(s)).ToList();
        var markers = unresolved.Where(NativeLoadFix.AllowedSymbols.Contains).ToList();
        return new NativeSymbolReport(library, resolved, missing, unresolved.Except(markers).ToList(),
            info.UndefinedWeak.Where(s => !defined.Contains(s)).Concat(markers).ToList(), info.Undefined.Count);
    }

    /// <summary>
    /// The check of <c>libLibTorchSharp.so</c> beside the application against the libtorch in use: <c>$GANSHARP_LIBTORCH</c>
    /// first, then the application folder. Null where there is no such library (not Linux, or not found).
    /// </summary>
    public static NativeSymbolReport? CheckTorchSharp()
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (NativeLoadFix.FindTorchSharpNative() is not { } lib) return null;
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("GANSHARP_LIBTORCH") is { Length: > 0 } custom) folders.Add(custom);
        folders.Add(Path.GetDirectoryName(lib)!);
        try { return Check(lib, folders); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new NativeSymbolReport(lib, new Dictionary<string, string>(), new[] { "(could not read: " + e.Message + ")" }, Array.Empty<string>(), Array.Empty<string>(), 0);
        }
    }
}
