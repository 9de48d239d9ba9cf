using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GanSharp.Platform;

/// <summary>
/// Which libtorch the process actually runs on. TorchSharp's <c>torch.__version__</c> is the version it was built for
/// (2.10 for 0.107), also when a host's own libtorch (e.g. PyTorch 2.11's, through <c>LD_LIBRARY_PATH</c>) was loaded,
/// so <c>doctor</c> reads the loaded file from the process's memory map and the version that PyTorch writes beside it.
/// </summary>
public static partial class LoadedLibTorch
{
    /// <summary>The path of the loaded <c>libtorch_cpu.so</c> (Linux), or null when it cannot be told.</summary>
    public static string? Path()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        try
        {
            return File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 6)
                .Select(p => string.Join(' ', p.Skip(5))).FirstOrDefault(f => System.IO.Path.GetFileName(f) == "libtorch_cpu.so");
        }
        catch (IOException) { return null; }
    }

    /// <summary>
    /// The version of the libtorch in <paramref name="libFolder"/>: PyTorch's <c>torch/version.py</c> next to
    /// <c>torch/lib</c> (e.g. <c>2.11.0+cu130</c>), or null for a bare libtorch such as the one in TorchSharp's package.
    /// </summary>
    public static string? VersionBeside(string libFolder)
    {
        var versionPy = System.IO.Path.Combine(libFolder, "..", "version.py");
        if (!File.Exists(versionPy)) return null;
        var m = VersionLine().Match(File.ReadAllText(versionPy));
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>
    /// One line per NVIDIA GPU from <c>nvidia-smi</c> (index, name, memory, compute capability), or a line saying
    /// why none could be listed. Only asked when TorchSharp reports CUDA.
    /// </summary>
    public static IReadOnlyList<string> Gpus()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=index,name,memory.total,compute_cap --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(start);
            if (p is null) return new[] { "nvidia-smi did not start" };
            string output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(10_000)) { p.Kill(); return new[] { "nvidia-smi did not answer in 10 s" }; }
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length > 0 ? lines.Select(l => "cuda:" + l).ToArray() : new[] { $"nvidia-smi listed no GPU (exit {p.ExitCode})" };
        }
        catch (System.ComponentModel.Win32Exception) { return new[] { "nvidia-smi not found" }; }
    }

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
