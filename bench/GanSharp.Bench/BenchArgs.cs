using System.Globalization;

namespace GanSharp.Bench;

/// <summary>The benchmarks' options: <c>--name value</c> pairs after the benchmark's name, read with defaults.</summary>
public sealed class BenchArgs(string[] args)
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public string Get(string name, string fallback) => GetOrNull(name) ?? fallback;

    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public string? GetOrNull(string name)
    {
        int i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Every value given after a repeatable option.</summary>
    public IReadOnlyList<string> All(string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();

    /// <summary>An integer option.</summary>
    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>A number option.</summary>
    public double Double(string name, double fallback) => double.Parse(Get(name, fallback.ToString("R", CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>A comma-separated list option.</summary>
    public string[] List(string name, string fallback) => Get(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a flag is present.</summary>
    public bool Has(string name) => args.Contains(name);

    /// <summary>The GAN options of the step benchmarks: <c>--arch</c> (dcgan), <c>--size</c> (28), <c>--channels</c> (1), <c>--width</c> (32), <c>--latent</c> (64).</summary>
    public GanBenchShape Gan() => new(Get("--arch", "dcgan"), Int("--size", 28), Int("--channels", 1), Int("--width", 32), Int("--latent", 64));

    /// <summary>Applies <c>--threads N</c> when given.</summary>
    public void ApplyThreads()
    {
        if (Get("--threads", "") is { Length: > 0 } t) Platform.TorchRuntime.SetThreads(int.Parse(t, CultureInfo.InvariantCulture));
    }
}

/// <summary>The GAN a step benchmark builds: architecture name, square image side, channels, width and latent size.</summary>
public sealed record GanBenchShape(string Arch, int Size, int Channels, int Width, int Latent)
{
    /// <summary>The image shape.</summary>
    public Models.ImageShape Image => new(Channels, Size, Size);

    /// <summary>The architecture for <paramref name="loss"/> (DCGAN's critic norm depends on it).</summary>
    public Methods.Synthesis.Gan.GanArchitecture Architecture(Losses.AdversarialLoss loss) =>
        Methods.Synthesis.Gan.GanArchitecture.Default(Arch, Image, loss, Width, Latent);
}
