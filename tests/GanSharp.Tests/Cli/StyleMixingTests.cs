using GanSharp.Cli.Commands;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class StyleMixingTests
{
    public StyleMixingTests() => TorchRuntime.EnsureInitialized();

    static Tensor Cell(Tensor sheet, int columns, int r, int c) => sheet[(r * (columns + 1)) + c]; // [C, H, W]

    [Fact]
    public void SheetHasSourcesOnTheEdgesAndTakesCoarseStylesFromTheRow()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var g = new StyleGanGenerator(new StyleGanConfig(Resolution: 8, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 16));
        g.eval();
        const int rows = 2, columns = 3;
        Tensor Sheet(int crossover) => SampleCommand.StyleMixing(g, rows, columns, crossover, new Generator(4), CPU);
        var none = Sheet(0);
        var all = Sheet(g.StyleCount);
        var half = Sheet(g.StyleCount / 2);
        Assert.Equal(new long[] { (rows + 1) * (columns + 1), 3, 8, 8 }, half.shape);
        Assert.True(Cell(half, columns, 0, 0).eq(-1).all().item<bool>()); // blank corner
        for (int r = 1; r <= rows; r++)
            for (int c = 1; c <= columns; c++)
            {
                Assert.True(Cell(none, columns, r, c).allclose(Cell(none, columns, 0, c), rtol: 1e-5, atol: 1e-5)); // all styles from the column
                Assert.True(Cell(all, columns, r, c).allclose(Cell(all, columns, r, 0), rtol: 1e-5, atol: 1e-5));   // all styles from the row
                Assert.False(Cell(half, columns, r, c).allclose(Cell(half, columns, 0, c), rtol: 1e-3, atol: 1e-3));  // a real mix
                Assert.False(Cell(half, columns, r, c).allclose(Cell(half, columns, r, 0), rtol: 1e-3, atol: 1e-3));
            }
        Assert.True(half.allclose(Sheet(g.StyleCount / 2))); // deterministic for a seed
    }

    [Fact]
    public void SingleCodeGeneratorsAreRefusedWithAClearMessage()
    {
        var g = new DcganGenerator(DcganConfig.For(28, 1));
        var e = Assert.Throws<GanSharpException>(() => SampleCommand.StyleMixing(g, 2, 2, 1, new Generator(1), CPU));
        Assert.Contains("several style inputs", e.Message);
    }

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
