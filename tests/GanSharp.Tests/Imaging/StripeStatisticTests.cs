using GanSharp.Imaging;
using static TorchSharp.torch;

namespace GanSharp.Tests.Imaging;

public class StripeStatisticTests
{
    static Tensor Columns(long side) => (arange(side, float64) % 2 * 2 - 1).reshape(1, 1, 1, side); // +1, −1, … along W

    [Fact]
    public void VerticalStripesRaiseBothRatiosAndHorizontalStripesLowerThem()
    {
        var rng = new Generator(5);
        var x = randn(new long[] { 16, 3, 32, 32 }, dtype: float64, generator: rng); // [N, C, H, W]
        var vertical = x + 0.5 * Columns(32);
        var horizontal = x + 0.5 * Columns(32).transpose(2, 3);
        Assert.True(StripeStatistic.ColumnToRowEnergy(vertical) > 1.1);
        Assert.True(StripeStatistic.NyquistRatio(vertical) > 2);
        Assert.True(StripeStatistic.ColumnToRowEnergy(horizontal) < 1 / 1.1);
        Assert.True(StripeStatistic.NyquistRatio(horizontal) < 0.5);
        Assert.InRange(StripeStatistic.ColumnToRowEnergy(x), 0.95, 1.05); // white noise: 49,152 differences each way
    }

    [Fact]
    public void TransposingTheImagesInvertsTheRatiosExactly()
    {
        var x = randn(new long[] { 4, 2, 16, 16 }, generator: new Generator(6)) + 0.3 * Columns(16).to(float32); // [N, C, H, W]
        var t = x.transpose(2, 3);
        Assert.Equal(1 / StripeStatistic.ColumnToRowEnergy(x), StripeStatistic.ColumnToRowEnergy(t), 12);
        Assert.Equal(1 / StripeStatistic.NyquistRatio(x), StripeStatistic.NyquistRatio(t), 12);
    }

    [Fact]
    public void TheNyquistRatioIgnoresAConstantOffset()
    {
        // A constant has no power at either Nyquist frequency (even sides).
        var noise = 1e-3 * randn(new long[] { 2, 1, 8, 8 }, dtype: float64, generator: new Generator(7));
        double withOffset = StripeStatistic.NyquistRatio(noise + Columns(8) + 5);
        double without = StripeStatistic.NyquistRatio(noise + Columns(8));
        Assert.Equal(without, withOffset, 6);
        Assert.Throws<ArgumentException>(() => StripeStatistic.NyquistRatio(zeros(3, 1)));
    }
}
