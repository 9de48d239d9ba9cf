using GanSharp.Metrics;
using GanSharp.Platform;
using static TorchSharp.torch;

namespace GanSharp.Tests.Metrics;

public class ImageQualityTests
{
    static Tensor Images(int seed, long n = 3, long c = 3, long size = 16, ScalarType dtype = ScalarType.Float32) =>
        (rand(new long[] { n, c, size, size }, dtype: dtype, generator: new Generator((ulong)seed)) * 2 - 1); // [N, C, H, W] in [-1, 1]

    [Fact]
    public void PsnrOfAConstantOffsetIsHandComputable()
    {
        using var scope = NewDisposeScope();
        var x = Images(1, dtype: float64) * 0.5;
        var psnr = ImageQuality.Psnr(x, x + 0.1); // MSE 0.01, peak-to-peak 2: 10·log₁₀(4 / 0.01)
        Assert.Equal(new long[] { 3 }, psnr.shape);
        Assert.All(psnr.data<double>().ToArray(), v => Assert.Equal(10 * Math.Log10(400), v, 9));
        Assert.Equal(26.0206, ImageQuality.MeanPsnr(x, x + 0.1), 4);
    }

    [Fact]
    public void IdenticalImagesGiveInfinitePsnrAndUnitSsim()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = Images(2);
        Assert.All(ImageQuality.Psnr(x, x.clone()).data<float>().ToArray(), v => Assert.True(float.IsPositiveInfinity(v)));
        Assert.All(ImageQuality.Ssim(x, x.clone()).data<float>().ToArray(), v => Assert.Equal(1.0, v, 5));
    }

    [Fact]
    public void SsimOfConstantImagesIsTheLuminanceTerm()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = full(new long[] { 1, 1, 12, 12 }, 0.5, float64);
        var y = full(new long[] { 1, 1, 12, 12 }, 0.3, float64);
        double c1 = Math.Pow(0.01 * 2, 2);
        double expected = (2 * 0.5 * 0.3 + c1) / (0.25 + 0.09 + c1); // variances are 0: the structure term is C₂/C₂
        Assert.Equal(expected, ImageQuality.MeanSsim(x, y), 10);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, ImageQuality.SsimMap(x, y).shape); // valid positions only
    }

    [Fact]
    public void SsimFallsAndPsnrFallsAsNoiseGrows()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = nn.functional.avg_pool2d(Images(3, size: 32), 3, stride: 1, padding: 1); // smooth-ish content
        var gen = new Generator(9);
        double lastSsim = 1.01, lastPsnr = double.PositiveInfinity;
        foreach (double sigma in new[] { 0.02, 0.05, 0.1, 0.2, 0.4 })
        {
            var noisy = (x + sigma * randn(x.shape, generator: gen)).clamp(-1, 1);
            double ssim = ImageQuality.MeanSsim(x, noisy), psnr = ImageQuality.MeanPsnr(x, noisy);
            Assert.True(ssim < lastSsim, $"SSIM {ssim} at σ = {sigma} did not fall below {lastSsim}");
            Assert.True(psnr < lastPsnr, $"PSNR {psnr} at σ = {sigma} did not fall below {lastPsnr}");
            (lastSsim, lastPsnr) = (ssim, psnr);
        }
        Assert.True(lastSsim < 0.5);
    }

    [Fact]
    public void SsimGradientMatchesFiniteDifferencesInFloat64()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = Images(4, n: 2, c: 2, size: 13, dtype: float64).requires_grad_(true);
        var y = Images(5, n: 2, c: 2, size: 13, dtype: float64);
        Tensor Loss(Tensor a) => (1 - ImageQuality.Ssim(a, y)).sum();
        var grad = autograd.grad(new[] { Loss(x) }, new[] { x })[0].detach(); // [2, 2, 13, 13]

        var flat = x.detach().flatten();
        var analytic = grad.flatten();
        var picks = randperm(flat.shape[0], generator: new Generator(6)).narrow(0, 0, 24).data<long>().ToArray();
        const double eps = 1e-6;
        using var _ = no_grad();
        foreach (long i in picks)
        {
            var plus = flat.clone(); plus[i] += eps;
            var minus = flat.clone(); minus[i] -= eps;
            double numeric = (Loss(plus.reshape(x.shape)).item<double>() - Loss(minus.reshape(x.shape)).item<double>()) / (2 * eps);
            double a = analytic[i].item<double>();
            Assert.True(Math.Abs(numeric - a) <= 1e-6 + 1e-5 * Math.Abs(a), $"element {i}: autograd {a}, finite difference {numeric}");
        }
    }

    [Fact]
    public void RejectsMismatchedOrTooSmallImages()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(zeros(1, 1, 8, 8), zeros(1, 1, 8, 9)));
        Assert.Throws<ArgumentException>(() => ImageQuality.Ssim(zeros(1, 1, 8, 8), zeros(1, 1, 8, 8)));
        Assert.Throws<GanSharpException>(() => ImageQuality.Ssim(zeros(1, 1, 16, 16), zeros(1, 1, 16, 16), new SsimOptions(WindowSize: 4)));
        var w = ImageQuality.GaussianWindow(11, 1.5, float64);
        Assert.Equal(1.0, w.sum().item<double>(), 12);
    }
}
