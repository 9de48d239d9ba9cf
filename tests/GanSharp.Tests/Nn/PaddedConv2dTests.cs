using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Nn;

public class PaddedConv2dTests
{
    public PaddedConv2dTests() => TorchRuntime.EnsureInitialized();

    static PaddedConv2d Conv(int seed, int cin = 3, int cout = 4, int k = 3, int padding = -1)
    {
        manual_seed(seed);
        var conv = new PaddedConv2d(cin, cout, k, padding);
        conv.to(float64);
        return conv;
    }

    static Tensor Input(int seed, params long[] shape) => randn(shape, dtype: float64, generator: new Generator((ulong)seed));

    [Fact]
    public void NullOrZeroPaddingIsExactlyTheZeroPaddedConv()
    {
        using var scope = NewDisposeScope();
        var conv = Conv(1);
        var x = Input(2, 2, 3, 6, 5); // [N, C, H, W]
        using var _ = no_grad();
        var reference = F.conv2d(x, conv.Weight, conv.Bias, padding: new long[] { 1, 1 });
        Assert.True(GradCheck.Same(reference, conv.call(x)));
        Assert.Equal((6, 5), conv.LastInputSize);
        conv.ExternalPadding = zeros(1, 3, 8, 7, dtype: float64);
        Assert.True(GradCheck.Same(reference, conv.call(x)));
        conv.ExternalPadding = zeros(2, 3, 8, 7, dtype: float64);
        Assert.True(GradCheck.Same(reference, conv.call(x)));
        conv.ExternalPadding = null;
        Assert.True(GradCheck.Same(reference, conv.call(x)));
    }

    [Fact]
    public void ExternalPaddingChangesOnlyOutputsThatSeeTheBorder()
    {
        using var scope = NewDisposeScope();
        var conv = Conv(3, k: 5); // padding 2: outputs within 2 pixels of the edge see the border
        var x = Input(4, 2, 3, 9, 8);
        using var _ = no_grad();
        var plain = conv.call(x);
        var pad = Input(5, 2, 3, 13, 12);
        conv.ExternalPadding = pad;
        var hooked = conv.call(x);
        var diff = (hooked - plain).abs(); // [N, out, 9, 8]
        Assert.Equal(0.0, diff[.., .., 2..^2, 2..^2].max().item<double>());
        Assert.True(diff[.., .., 0, ..].min().item<double>() > 0 || diff[.., .., 0, ..].max().item<double>() > 1e-3);
        foreach (var edge in new[] { diff[.., .., 0, ..], diff[.., .., ^1, ..], diff[.., .., .., 0], diff[.., .., .., ^1] })
            Assert.True(edge.max().item<double>() > 1e-3);

        // The interior of the external tensor is ignored.
        var interiorOnly = pad.clone();
        interiorOnly[.., .., 2..^2, 2..^2] = 100.0;
        conv.ExternalPadding = interiorOnly;
        Assert.True(GradCheck.Same(hooked, conv.call(x)));
    }

    [Fact]
    public void PadPlacesTheBorderValues()
    {
        using var scope = NewDisposeScope();
        var x = ones(1, 1, 2, 2, dtype: float64);
        var ext = full(new long[] { 1, 1, 4, 4 }, 7.0, dtype: float64);
        var padded = PaddedConv2d.Pad(x, 1, ext);
        var expected = tensor(new double[] { 7, 7, 7, 7, 7, 1, 1, 7, 7, 1, 1, 7, 7, 7, 7, 7 }).reshape(1, 1, 4, 4);
        Assert.True(GradCheck.Same(expected, padded));
    }

    [Fact]
    public void GradientsReachTheExternalPaddingAndMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var conv = Conv(6, cin: 2, cout: 3);
        var x = Input(7, 2, 2, 4, 4).requires_grad_(true);
        var pad = Input(8, 2, 2, 6, 6).requires_grad_(true);
        conv.ExternalPadding = pad;
        conv.call(x).square().sum().backward();
        Assert.NotNull(pad.grad);
        Assert.True(pad.grad!.abs().sum().item<double>() > 0);
        Assert.Equal(0.0, pad.grad[.., .., 1..^1, 1..^1].abs().max().item<double>()); // interior ignored
        double err = GradCheck.MaxError(() => conv.call(x), new Tensor[] { x, conv.Weight, conv.Bias!, pad });
        Assert.True(err < 1e-6, $"max gradient error {err}");
    }

    [Fact]
    public void WrongExternalPaddingShapeIsAClearError()
    {
        using var scope = NewDisposeScope();
        var conv = Conv(9);
        conv.ExternalPadding = zeros(1, 3, 6, 6, dtype: float64);
        var ex = Assert.Throws<ArgumentException>(() => conv.call(Input(10, 1, 3, 6, 6)));
        Assert.Contains("[N or 1, 3, 8, 8]", ex.Message);
    }
}
