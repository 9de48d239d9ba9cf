using GanSharp.Methods.Synthesis;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods;

public class SampleSheetsTests
{
    public SampleSheetsTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void SlerpRunsFromAToBAlongTheSphere()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 2, 0, 0 }).view(1, 3);
        var b = tensor(new float[] { 0, 2, 0 }).view(1, 3);
        var t = tensor(new float[] { 0, 0.5f, 1 }).view(3, 1);
        var path = SampleSheets.Slerp(a, b, t); // [3, 3]
        Assert.True(path[0].allclose(a[0], atol: 1e-5) && path[2].allclose(b[0], atol: 1e-5));
        Assert.True(path.norm(-1).allclose(full(3, 2f), atol: 1e-5)); // equal norms stay on the sphere, unlike a lerp
        var mid = MathF.Sqrt(2);
        Assert.True(path[1].allclose(tensor(new[] { mid, mid, 0 }), atol: 1e-5));
    }

    static Tensor Cell(Tensor sheet, int columns, int r, int c) => sheet[(r * (columns + 1)) + c]; // [C, H, W]

    [Fact]
    public void SheetHasSourcesOnTheEdgesAndTakesCoarseStylesFromTheRow()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var g = new StyleGanGenerator(new StyleGanConfig(Resolution: 8, Channels: 3, LatentSize: 8, StyleSize: 8, MappingLayers: 2, ChannelBase: 64, MaxChannels: 16));
        g.eval();
        const int rows = 2, columns = 3;
        Tensor Sheet(int crossover) => SampleSheets.StyleMixing(g, rows, columns, crossover, new Generator(4), CPU);
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
        var e = Assert.Throws<GanSharpException>(() => SampleSheets.StyleMixing(g, 2, 2, 1, new Generator(1), CPU));
        Assert.Contains("several style inputs", e.Message);
    }
}
