using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class SampleCommandTests
{
    public SampleCommandTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData("grid")]
    [InlineData("mixing")]
    public async Task SampleWithTheSameSeedWritesTheSameFileForAStyleGenerator(string mode)
    {
        using var dir = new GanSharp.Tests.IO.ScratchFolder("sample-seed");
        var ckpt = Path.Combine(DataCommandTests.Assets, "checkpoints", "stylegan2-emoji");
        byte[] Run(string name, int seed)
        {
            var (code, output, err) = CliTests.Run("sample", "-c", ckpt, "--seed", seed.ToString(), "-n", "4", "--mode", mode, "-o", dir.Combine(name), "--threads", "1").GetAwaiter().GetResult();
            Assert.True(code == 0, err + output);
            return File.ReadAllBytes(dir.Combine(name));
        }
        var a = Run("a.png", 7);
        Assert.Equal(a, Run("b.png", 7)); // the per-layer noise is seeded too
        Assert.NotEqual(a, Run("c.png", 8));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task MoreThreadsThanCoresAreWarnedAbout()
    {
        using var dir = new GanSharp.Tests.IO.ScratchFolder("threads");
        var ckpt = Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion");
        var logged = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var previous = GanSharp.Diagnostics.Log.SetSink(logged.Enqueue); // other tests' lines may land here meanwhile: only this one's is looked for
        try
        {
            int many = Environment.ProcessorCount + 7;
            var (code, output, err) = await CliTests.Run("sample", "-c", ckpt, "-n", "2", "-o", dir.Combine("a.png"), "--threads", many.ToString());
            Assert.True(code == 0, err + output);
            Assert.Contains(logged, l => l.Contains($"--threads {many} is more than the"));
            (code, output, err) = await CliTests.Run("sample", "-c", ckpt, "-n", "2", "-o", dir.Combine("b.png"), "--threads", "1");
            Assert.True(code == 0, err + output);
            Assert.DoesNotContain(logged, l => l.Contains("--threads 1 is more than"));
        }
        finally
        {
            GanSharp.Diagnostics.Log.SetSink(previous);
        }
    }

    [Theory]
    [InlineData("grid", "1000000", "10")]
    [InlineData("interpolate", "10", "100000")]
    public async Task OversizedSampleSheetsAreRefusedBeforeGenerating(string mode, string count, string steps)
    {
        using var dir = new GanSharp.Tests.IO.ScratchFolder("sample-big");
        var ckpt = Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion");
        var (code, output, err) = await CliTests.Run("sample", "-c", ckpt, "-n", count, "--steps", steps, "--mode", mode, "-o", dir.Combine("big.png"));
        Assert.Equal(1, code);
        Assert.Contains("at most 4,096", err);
        Assert.False(File.Exists(dir.Combine("big.png")));
    }
}
