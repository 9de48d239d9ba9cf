using System.Text.Json;
using GanSharp.IO;

namespace GanSharp.Platform;

/// <summary>
/// The fast path's rejections, remembered per CPU model, libtorch version and network (architecture config and batch),
/// so that a network found wrong with oneDNN on a CPU is not tried on the fast path there again. Passes are not kept:
/// oneDNN's errors vary from run to run, so a pass is checked again at every start.
/// Kept in <c>numerics-verdicts.json</c> under <c>$GANSHARP_CACHE</c> (default <c>~/.cache/gansharp</c>); written
/// atomically; an unreadable file counts as empty. <c>GANSHARP_NUMERICS_CACHE=off</c> turns it off.
/// </summary>
public sealed class NumericsVerdictCache(string path)
{
    /// <summary>One remembered verdict.</summary>
    public sealed record Entry(double Error, double Baseline, string Where, DateTime CheckedUtc)
    {
        /// <summary>The verdict as a comparison.</summary>
        public NumericsComparison Comparison => new(Error, Baseline, Where);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>The user's cache, or null when <c>GANSHARP_NUMERICS_CACHE=off</c>.</summary>
    public static NumericsVerdictCache? Default =>
        Environment.GetEnvironmentVariable("GANSHARP_NUMERICS_CACHE")?.Trim().ToLowerInvariant() == "off"
            ? null
            : new NumericsVerdictCache(System.IO.Path.Combine(UserCache.Root(), "numerics-verdicts.json"));

    /// <summary>The key of a network on this machine: CPU model, libtorch version and the caller's description of the network.</summary>
    public static string Key(string network) => $"{CpuModel()} | libtorch {TorchSharp.torch.__version__} | {network}";

    /// <summary>The CPU's model name (<c>/proc/cpuinfo</c>), or the architecture where it cannot be read.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int i and > 0)
                        return line[(i + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The remembered verdict for <paramref name="key"/>, or null.</summary>
    public Entry? Get(string key) => Read().TryGetValue(key, out var e) ? e : null;

    /// <summary>Remembers a verdict (non-finite errors are stored as +∞'s stand-in, 1e300).</summary>
    public void Put(string key, NumericsComparison verdict)
    {
        var all = Read();
        all[key] = new Entry(double.IsFinite(verdict.Error) ? verdict.Error : 1e300, double.IsFinite(verdict.Baseline) ? verdict.Baseline : 1e300,
            verdict.Where, DateTime.UtcNow);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(all, Json));
        }
        catch (IOException e) { Diagnostics.Log.Info($"numerics verdict not cached ({Path}: {e.Message})"); }
        catch (UnauthorizedAccessException e) { Diagnostics.Log.Info($"numerics verdict not cached ({Path}: {e.Message})"); }
    }

    Dictionary<string, Entry> Read()
    {
        try
        {
            if (File.Exists(Path))
                return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(Path), Json) ?? new();
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { }
        return new();
    }
}
