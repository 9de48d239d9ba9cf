using GanSharp.Imaging;
using GanSharp.Methods.Synthesis.StyleGan;
using GanSharp.Platform;
using GanSharp.Tests.Platform;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Methods.StyleGan;

/// <summary>
/// Guards against direction-dependent artefacts (the vertical stripe texture of the bundled emoji StyleGAN): nothing in
/// the generator, the discriminator or their training prefers columns to rows, so images drawn by an untrained
/// generator, and by one trained a few steps on isotropic images, have as much horizontal as vertical detail.
/// </summary>
[Collection(GlobalTorchStateCollection.Name)] // the fast-path case switches oneDNN and channel padding
public class StyleGanIsotropyTests(ITestOutputHelper output)
{
    static StyleGanConfig Tiny() => new(Resolution: 32, Channels: 3, LatentSize: 12, StyleSize: 10, MappingLayers: 3,
        ChannelBase: 128, MaxChannels: 16);

    /// <summary>
    /// Energy of horizontal differences over that of vertical differences, and the same for the alternation
    /// (Nyquist) component along rows vs along columns: both 1 in expectation for isotropic images <c>[N, C, H, W]</c>.
    /// </summary>
    internal static (double Gradient, double Nyquist) Anisotropy(Tensor x) =>
        (StripeStatistic.ColumnToRowEnergy(x), StripeStatistic.NyquistRatio(x));

    static Tensor Samples(StyleGanGenerator g, int seed, int n = 64)
    {
        using var _ = no_grad();
        var rng = new Generator((ulong)seed);
        return g.Synthesize(g.Map(randn(new long[] { n, g.LatentSize }, generator: rng)), g.MakeNoise(n, rng));
    }

    static StyleGanGenerator NewGenerator(int seed)
    {
        manual_seed(seed);
        var g = new StyleGanGenerator(Tiny());
        using var _ = no_grad();
        foreach (var (name, p) in g.named_parameters())
        {
            if (name.Contains("noise")) p.fill_(0.3); // B starts at zero; the noise path must be isotropic too
            // The constant starts at ones: then the 4×4 block's instance norm makes the output independent of its noise
            // strength (a gradient of rounding noise only). A trained constant varies.
            if (name.Contains("constant")) p.add_(randn_like(p) * 0.5);
        }
        return g;
    }

    /// <summary>A copy of <paramref name="g"/> with every 3×3 kernel and the 4×4 constant transposed (H and W swapped).</summary>
    static StyleGanGenerator Transposed(StyleGanGenerator g)
    {
        var t = new StyleGanGenerator(g.Settings);
        t.load_state_dict(g.state_dict());
        using var _ = no_grad();
        foreach (var (name, p) in t.named_parameters())
            if (p.dim() == 4) p.copy_(p.transpose(2, 3).contiguous());
        return t;
    }

    /// <summary>A copy of <paramref name="d"/> that scores transposed images as <paramref name="d"/> scores the originals.</summary>
    static StyleGanDiscriminator Transposed(StyleGanDiscriminator d)
    {
        var t = new StyleGanDiscriminator(d.Settings);
        t.load_state_dict(d.state_dict());
        using var _ = no_grad();
        int c4 = d.Settings.Width(4);
        foreach (var (name, p) in t.named_parameters())
        {
            if (p.dim() == 4) p.copy_(p.transpose(2, 3).contiguous());
            else if (name == "features.weight") // [out, C·4·4] reads the flattened [C, 4, 4] map
                p.copy_(p.reshape(-1, c4, 4, 4).transpose(2, 3).reshape(p.shape).contiguous());
        }
        return t;
    }

    static Tensor T(Tensor x) => x.transpose(-2, -1);

    static Dictionary<string, Tensor> TrainingGradients(StyleGanGenerator g, StyleGanDiscriminator d, Tensor w, IReadOnlyList<Tensor> noise, Tensor real,
        double fault = 0)
    {
        // fault: D's input gradient scaled by 1 + fault·(±1 by column), the value unchanged (a kernel error that follows the width).
        var columns = (arange(real.shape[3], float32) % 2 * 2 - 1).reshape(1, 1, 1, -1);
        Tensor Faulty(Tensor x) => fault == 0 ? x : x + fault * columns * (x - x.detach());
        // One non-saturating G step and one D step with R1 (double backward), as GanMethod trains StyleGAN.
        var result = new Dictionary<string, Tensor>();
        var fake = g.Synthesize(w, noise);
        var gParams = g.named_parameters().Where(p => !p.name.StartsWith("mapping.", StringComparison.Ordinal)).ToArray(); // w is given
        var gGrads = autograd.grad(new[] { F.softplus(-d.Score(Faulty(fake))).mean() }, gParams.Select(p => (Tensor)p.parameter).Append(fake).ToArray());
        var gNames = gParams.Select(p => "G " + p.name).Append("D input gradient (fake)").ToArray();
        for (int i = 0; i < gNames.Length; i++) result[gNames[i]] = gGrads[i];
        var realIn = real.detach().requires_grad_(true);
        var realScores = d.Score(Faulty(realIn));
        var loss = F.softplus(d.Score(fake.detach())).mean() + F.softplus(-realScores).mean()
            + GanSharp.Losses.Penalties.R1Penalty(realScores, realIn, 10, 4);
        var dParams = d.named_parameters().ToArray();
        var dGrads = autograd.grad(new[] { loss }, dParams.Select(p => (Tensor)p.parameter).ToArray(), allow_unused: true);
        for (int i = 0; i < dParams.Length; i++)
            if (dGrads[i] is { } gr && !gr.IsInvalid) result["D " + dParams[i].name] = gr;
        return result;
    }

    /// <summary>
    /// Exact symmetry: with every kernel transposed, the generator draws the transposed images from transposed noise,
    /// the discriminator gives transposed images the same scores, and a training step's gradients are the transposed
    /// gradients, on the convolution path in effect and, where oneDNN is usable, on the fast path. A direction-dependent
    /// bug (padding, upsampling, noise broadcast, a transposed copy, a convolution kernel whose error follows its width
    /// loop) breaks it: a column-structured error of 4.3e-3 in D's input gradient (<paramref name="fault"/>, the size the
    /// emoji StyleGAN's fast-path check let through) is caught. Worst difference measured without it: 7.5e-6.
    /// </summary>
    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 4.3e-3)]
    public void NetworksAndTheirGradientsCommuteWithTransposition(bool fastPath, double fault)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var g = NewGenerator(21);
        manual_seed(22);
        var d = new StyleGanDiscriminator(g.Settings);
        var gt = Transposed(g);
        var dt = Transposed(d);
        var rng = new Generator(23);
        var w = g.Map(randn(new long[] { 8, g.LatentSize }, generator: rng)).detach();
        var noise = g.MakeNoise(8, rng);
        var real = rand(new long[] { 8, 3, 32, 32 }, generator: rng) * 2 - 1;
        bool wasMkldnn = LibTorchSwitches.MkldnnEnabled;
        try
        {
            if (fastPath)
            {
                if (!LibTorchSwitches.IsAvailable) return;
                LibTorchSwitches.MkldnnEnabled = true;
                GanSharp.Nn.ConvOps.ChannelPadding = true;
            }
            var image = g.Synthesize(w, noise);
            var imageT = gt.Synthesize(w, noise.Select(T).ToList());
            double worst = Relative(imageT, T(image));
            string where = "G output";
            void Check(double e, string what) { if (e > worst) (worst, where) = (e, what); }
            Check(Relative(dt.Score(T(real)), d.Score(real)), "D score");
            var a = TrainingGradients(g, d, w, noise, real, fault);
            var b = TrainingGradients(gt, dt, w, noise.Select(T).ToList(), T(real), fault);
            foreach (var (name, ga) in a)
            {
                var expected = name == "D features.weight"
                    ? ga.reshape(-1, g.Settings.Width(4), 4, 4).transpose(2, 3).reshape(ga.shape)
                    : ga.dim() == 4 ? T(ga) : ga;
                Check(Relative(b[name], expected), name);
            }
            output.WriteLine($"fast path {fastPath}, fault {fault}: worst norm-wise relative difference {worst:0.0e0} at {where}");
            if (fault == 0) Assert.True(worst < 1e-4, $"transposition changes {where} by {worst:0.0e0} (fast path {fastPath})");
            else Assert.True(worst > 1e-4, $"a column-structured gradient error of {fault} went unnoticed: {worst:0.0e0} at {where}");
        }
        finally
        {
            GanSharp.Nn.ConvOps.ChannelPadding = false;
            LibTorchSwitches.MkldnnEnabled = wasMkldnn;
        }
    }

    static double Relative(Tensor a, Tensor b)
    {
        var a64 = a.detach().to(float64); var b64 = b.detach().to(float64);
        if (!a64.isfinite().all().item<bool>()) return double.PositiveInfinity;
        return (a64 - b64).norm().item<double>() / Math.Max(b64.norm().item<double>(), 1e-30);
    }

    /// <summary>Isotropic training images in [-1, 1]: white noise smoothed by a 3×3 box twice, <c>[N, 3, 32, 32]</c>.</summary>
    static Tensor IsotropicImages(long n, Generator rng)
    {
        var x = randn(new long[] { n, 3, 32, 32 }, generator: rng);
        for (int i = 0; i < 2; i++) x = F.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
        return (x * 3).tanh();
    }

    /// <summary>A few StyleGAN steps (non-saturating loss, R1 every 4th D step, style mixing, Adam 1.5e-3 β (0, 0.99)).</summary>
    static void Train(StyleGanGenerator g, StyleGanDiscriminator d, int steps, Generator rng)
    {
        using var optG = optim.Adam(g.parameters(), lr: 1.5e-3, beta1: 0, beta2: 0.99);
        using var optD = optim.Adam(d.parameters(), lr: 1.5e-3, beta1: 0, beta2: 0.99);
        const int n = 8;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            Tensor fake;
            using (no_grad()) fake = g.Synthesize(g.MixStyles(randn(new long[] { n, g.LatentSize }, generator: rng), randn(new long[] { n, g.LatentSize }, generator: rng), 0.9, rng), g.MakeNoise(n, rng));
            optD.zero_grad();
            var real = IsotropicImages(n, rng).requires_grad_(step % 4 == 0);
            var realScores = d.Score(real);
            var lossD = F.softplus(d.Score(fake)).mean() + F.softplus(-realScores).mean();
            if (step % 4 == 0) lossD = lossD + GanSharp.Losses.Penalties.R1Penalty(realScores, real, 10, 4);
            lossD.backward();
            optD.step();
            optG.zero_grad();
            var ws = g.MixStyles(randn(new long[] { n, g.LatentSize }, generator: rng), randn(new long[] { n, g.LatentSize }, generator: rng), 0.9, rng);
            F.softplus(-d.Score(g.Synthesize(ws, g.MakeNoise(n, rng)))).mean().backward();
            optG.step();
        }
    }

    /// <summary>
    /// Statistical guard. Bounds from measurement (tiny config, AMD EPYC, 60 untrained generators): per network the log
    /// ratios have sd 0.18 (gradient) and 0.30 (alternation), so the geometric mean over 8 networks has sd 0.06 and
    /// 0.10; the bounds 1.35 and 1.5 are about 4σ. Ten training steps on isotropic images moved the ratios by at most
    /// 2 %; the bound is 10 %. A column alternation of 0.05 added to the images is caught.
    /// </summary>
    [Fact]
    public void UntrainedAndBrieflyTrainedGeneratorsDrawIsotropicImages()
    {
        TorchRuntime.EnsureInitialized();
        double logGradient = 0, logNyquist = 0, striped = 0;
        const int networks = 8;
        for (int seed = 0; seed < networks; seed++)
        {
            using var scope = NewDisposeScope();
            var images = Samples(NewGenerator(seed), seed + 100);
            var a = Anisotropy(images);
            logGradient += Math.Log(a.Gradient) / networks;
            logNyquist += Math.Log(a.Nyquist) / networks;
            var columns = (arange(32, float32) % 2 * 2 - 1).reshape(1, 1, 1, 32);
            striped += Math.Log(Anisotropy(images + 0.05 * columns).Nyquist) / networks;
        }
        output.WriteLine($"untrained: gradient {Math.Exp(logGradient):0.000} alternation {Math.Exp(logNyquist):0.000}; with stripes {Math.Exp(striped):0.000}");
        Assert.InRange(Math.Exp(logGradient), 1 / 1.35, 1.35);
        Assert.InRange(Math.Exp(logNyquist), 1 / 1.5, 1.5);
        Assert.True(Math.Exp(striped) > 1.5, $"the measure misses a column alternation of 0.05: {Math.Exp(striped):0.000}");

        for (int seed = 0; seed < 2; seed++)
        {
            using var scope = NewDisposeScope();
            var g = NewGenerator(seed);
            manual_seed(seed + 50);
            var d = new StyleGanDiscriminator(g.Settings);
            var before = Anisotropy(Samples(g, seed + 100));
            Train(g, d, 8, new Generator((ulong)seed + 200));
            var after = Anisotropy(Samples(g, seed + 100));
            output.WriteLine($"seed {seed}: gradient {before.Gradient:0.000} -> {after.Gradient:0.000}, alternation {before.Nyquist:0.000} -> {after.Nyquist:0.000}");
            Assert.InRange(after.Gradient / before.Gradient, 1 / 1.1, 1.1);
            Assert.InRange(after.Nyquist / before.Nyquist, 1 / 1.1, 1.1);
        }
    }
}
