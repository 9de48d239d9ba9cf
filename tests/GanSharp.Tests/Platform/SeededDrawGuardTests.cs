using System.Text.RegularExpressions;
using GanSharp.Models;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Platform;

/// <summary>
/// One rule for randomness on every device: seeded draws come from a CPU <see cref="Generator"/> and are moved
/// (<c>randn(shape, generator: rng).to(device)</c>). In TorchSharp 0.107 a draw with both <c>generator:</c> and
/// <c>device:</c> fails on CUDA ("Expected a 'cuda' device type for generator"), and <c>new Generator(seed, cuda)</c>
/// still makes a CPU generator, so both forms are forbidden in the sources.
/// </summary>
public class SeededDrawGuardTests
{
    static readonly Regex DrawWithBoth = new(@"\b(randn|rand|randint|randperm|normal|bernoulli|multinomial)(_like)?\s*\((?=[^;]*\bgenerator:)(?=[^;]*\bdevice:)[^;]*", RegexOptions.Compiled);
    static readonly Regex GeneratorOnDevice = new(@"new\s+Generator\s*\([^;()]*(\([^()]*\))?[^;()]*,\s*[^;()]*[dD]evice[^;()]*\)", RegexOptions.Compiled);

    internal static IReadOnlyList<string> Violations(string source)
    {
        var found = new List<string>();
        foreach (var statement in source.Split(';'))
        {
            var code = string.Join('\n', statement.Split('\n').Select(l => l.Contains("//", StringComparison.Ordinal) ? l[..l.IndexOf("//", StringComparison.Ordinal)] : l));
            if (DrawWithBoth.IsMatch(code + ";") || GeneratorOnDevice.IsMatch(code + ";")) found.Add(code.Trim());
        }
        return found;
    }

    [Fact]
    public void TheGuardCatchesTheForbiddenFormsAndPassesTheRule()
    {
        // The SampleLatents of before this rule, and a generator made "on" a device.
        Assert.Single(Violations("public static Tensor SampleLatents(this IGenerator g, long n, Generator? rng = null, Device? device = null) =>\n        randn(new long[] { n, g.LatentSize }, generator: rng, device: device);"));
        Assert.Single(Violations("using var rng = new Generator(options.Seed, device);"));
        Assert.Single(Violations("var x = rand(new long[] { n, 1 }, dtype: float32, device: d, generator: g);"));
        Assert.Empty(Violations("var z = randn(new long[] { n, 8 }, generator: rng).to(device);"));
        Assert.Empty(Violations("var noise = randn(new long[] { n, 1, 4, 4 }, dtype: w.dtype, device: w.device);"));
        Assert.Empty(Violations("using var rng = new Generator(seed ^ 0x5EEDUL);"));
    }

    [Fact]
    public void NoSourceFileDrawsWithAGeneratorOnADevice()
    {
        var files = SourceTree.CsFiles("src", "bench");
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {SourceTree.Root}");
        var bad = files.SelectMany(f => Violations(File.ReadAllText(f)).Select(v => $"{SourceTree.Relative(f)}: {v}")).ToList();
        Assert.True(bad.Count == 0, "seeded draws must be made on the CPU stream and moved:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void SampleLatentsAreTheCpuStreamsDraws()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var g = new GanSharp.Methods.Synthesis.Dcgan.DcganGenerator(GanSharp.Methods.Synthesis.Dcgan.DcganConfig.For(28, 1) with { LatentSize = 6, GeneratorWidth = 4, DiscriminatorWidth = 4 });
        var a = g.SampleLatents(3, new Generator(5), CPU);
        var b = randn(new long[] { 3, 6 }, generator: new Generator(5));
        Assert.True(a.equal(b).all().item<bool>());
    }
}
