using GanSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Platform;

/// <summary>
/// The tensor where the fast convolution path departs most from float64, relative to what the safe path itself shows
/// there (float32 rounding alone can be large where a network is ill-conditioned, e.g. an instance norm of a nearly
/// constant map).
/// </summary>
/// <param name="Error">Fast path: max |a − ref| / max |ref| for that tensor.</param>
/// <param name="Baseline">Safe path (oneDNN off), same measure, same tensor.</param>
/// <param name="Where">Which tensor: <c>output</c>, <c>input i gradient</c> or <c>NAME gradient</c>.</param>
public sealed record NumericsComparison(double Error, double Baseline, string Where)
{
    /// <summary>
    /// Allowed error: 10× the safe path's own error, and at least <c>min(1e-2, max(1e-4, 100 × safe))</c>. oneDNN's
    /// wrong kernels are off by 0.04 to NaN at network level; its correct ones differ from the safe path by up to a few
    /// 1e-3 where the network is ill-conditioned (fast/safe up to 21× there, up to 46× below 1e-5, on fresh and trained
    /// StyleGANs). Where the safe path is nearly exact the bound is a multiple of it, not 1e-2: the emoji StyleGAN was
    /// trained on a fast path accepted at 4.3e-3 on D's input gradient where the safe path showed 6e-7.
    /// </summary>
    public double Allowed => Math.Max(10 * Baseline,
        Math.Min(ModelNumerics.Tolerance, Math.Max(ModelNumerics.ExactFloor, ModelNumerics.ExactFactor * Baseline)));

    /// <summary>Error over allowed error (NaN counts as +∞): above 1 means the fast path is wrong.</summary>
    public double Excess => double.IsNaN(Error) ? double.PositiveInfinity : Error / Allowed;

    /// <summary>Whether the fast path is as good as the safe path here.</summary>
    public bool Passed => Excess <= 1;
}

/// <summary>
/// End-to-end numerics check of a network on this machine: the float32 network on the fast convolution path and on the
/// safe path, each against a float64 twin with the same weights (float64 never takes the oneDNN path), on the real input
/// shape. It compares the output, the input gradients and every parameter gradient.
/// </summary>
public static class ModelNumerics
{
    /// <summary>The largest error a tensor may show on the fast path unless the safe path's own error is larger (see <see cref="NumericsComparison.Allowed"/>).</summary>
    public const double Tolerance = 1e-2;

    /// <summary>Where the safe path is nearly exact, the fast path may still show this much (reordered float32 sums).</summary>
    public const double ExactFloor = 1e-4;

    /// <summary>Where the safe path is nearly exact, the fast path may show this multiple of its error (up to <see cref="Tolerance"/>).</summary>
    public const double ExactFactor = 100;

    /// <summary>The worst of two comparisons.</summary>
    public static NumericsComparison Worst(NumericsComparison a, NumericsComparison b) => b.Excess > a.Excess ? b : a;

    /// <summary>
    /// The tensor where <paramref name="run32"/> on <paramref name="net32"/> with the fast path departs most from
    /// <paramref name="run64"/> on <paramref name="net64"/>, relative to the safe path's own error there, for the given
    /// float64 inputs: outputs, and gradients of a random projection of the output with respect to the inputs and to
    /// every parameter. NaN or Inf counts as +∞. Leaves the convolution switches as it found them.
    /// </summary>
    public static NumericsComparison Compare(nn.Module net32, Func<Tensor[], Tensor> run32, nn.Module net64, Func<Tensor[], Tensor> run64,
        IReadOnlyList<Tensor> inputs, Generator rng)
    {
        using var scope = NewDisposeScope();
        // cotangent: the random projection of the output; null draws it (float64) once the output's shape is known.
        (Tensor Out, Tensor[] Grads, Tensor Cotangent) Run(nn.Module net, Func<Tensor[], Tensor> run, ScalarType type, Tensor? cotangent)
        {
            using var enable = enable_grad();
            var xs = inputs.Select(x => x.to(type).detach().requires_grad_(true)).ToArray();
            var y = run(xs);
            var r = cotangent ?? randn(y.shape, dtype: float64, generator: rng);
            var ps = net.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (Tensor)p.parameter).ToArray();
            var wrt = xs.Concat(ps).ToArray();
            var grads = autograd.grad(new[] { y }, wrt, new[] { r.to(type) }, allow_unused: true);
            return (y.detach(), grads.Select(g => g is null || g.IsInvalid ? zeros(1, dtype: type) : g.detach()).ToArray(), r);
        }
        var reference = Run(net64, run64, float64, null);
        var cot = reference.Cotangent;
        bool wasFast = TorchRuntime.FastPathSwitches;
        (Tensor Out, Tensor[] Grads, Tensor Cotangent) safe, fast;
        try
        {
            TorchRuntime.FastPathSwitches = false;
            safe = Run(net32, run32, float32, cot);
            TorchRuntime.FastPathSwitches = true;
            fast = Run(net32, run32, float32, cot);
        }
        finally { TorchRuntime.FastPathSwitches = wasFast; }
        var names = Enumerable.Range(0, inputs.Count).Select(i => $"input {i} gradient")
            .Concat(net32.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name + " gradient")).ToArray();
        var worst = new NumericsComparison(RelativeError(fast.Out, reference.Out), RelativeError(safe.Out, reference.Out), "output");
        for (int i = 0; i < reference.Grads.Length; i++)
            worst = Worst(worst, new NumericsComparison(RelativeError(fast.Grads[i], reference.Grads[i]),
                RelativeError(safe.Grads[i], reference.Grads[i]), i < names.Length ? names[i] : $"gradient {i}"));
        return worst;
    }

    /// <summary><c>max |a − ref| / max(max |ref|, 1e-6)</c> in float64; +∞ when a is not finite.</summary>
    public static double RelativeError(Tensor a, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to(float64).cpu();
        if (!a64.isfinite().all().item<bool>()) return double.PositiveInfinity;
        if (a64.numel() != reference.numel()) return double.PositiveInfinity;
        var r = reference.to(float64).cpu().reshape(a64.shape);
        double scale = Math.Max(r.abs().max().item<double>(), 1e-6);
        return (a64 - r).abs().max().item<double>() / scale;
    }

    /// <summary>
    /// <see cref="Compare"/> for a generator: w = Map(z) then Synthesize with fixed noise, on a batch of
    /// <paramref name="batch"/>. <paramref name="twin64"/> must hold the same weights in float64.
    /// </summary>
    public static NumericsComparison GeneratorError(IGenerator net, IGenerator twin64, int batch, Generator rng)
    {
        using var scope = NewDisposeScope();
        var device = net.Module.parameters().First().device;
        var z = randn(new long[] { batch, net.LatentSize }, dtype: float64, generator: rng).to(device);
        var noise = net.NoiseShapes.Select(s => randn(new long[] { 1 }.Concat(s).ToArray(), dtype: float64, generator: rng).to(device)).ToArray();
        static Func<Tensor[], Tensor> Run(IGenerator g) => xs => g.Synthesize(g.Map(xs[0]), xs.Skip(1).ToArray());
        return Compare(net.Module, Run(net), twin64.Module, Run(twin64), new[] { z }.Concat(noise).ToArray(), rng);
    }

    /// <summary><see cref="Compare"/> for a discriminator on <paramref name="batch"/> random images in [-1, 1].</summary>
    public static NumericsComparison DiscriminatorError(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng) =>
        DiscriminatorError(net, twin64, batch, rng, d => x => d.Score(x));

    /// <summary>
    /// <see cref="Compare"/> for a gradient penalty of a discriminator: the value Σ‖∇ₓD(x)‖² (R1's and WGAN-GP's
    /// quantity) and, through a double backward, its gradients with respect to the images and every weight: the
    /// second-order pass that R1 and WGAN-GP train with, which the first-order check never runs.
    /// </summary>
    public static NumericsComparison PenaltyError(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng) =>
        DiscriminatorError(net, twin64, batch, rng, d => x => InputGradientNorm(d.Score, x));

    /// <summary>Σ over the batch of ‖∇ₓ Σ score(x)‖², differentiable (create_graph) with respect to x and the weights. // [1]</summary>
    public static Tensor InputGradientNorm(Func<Tensor, Tensor> score, Tensor x)
    {
        using var enable = enable_grad();
        var grad = autograd.grad(new[] { score(x).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0]; // [N, C, H, W]; the graph is kept for the second backward
        return grad.square().sum().reshape(1);
    }

    static NumericsComparison DiscriminatorError(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng, Func<IDiscriminator, Func<Tensor, Tensor>> run)
    {
        using var scope = NewDisposeScope();
        var device = net.Module.parameters().First().device;
        var s = net.Input;
        var x = (rand(new long[] { batch, s.Channels, s.Height, s.Width }, dtype: float64, generator: rng) * 2 - 1).to(device);
        var run32 = run(net);
        var run64 = run(twin64);
        return Compare(net.Module, xs => run32(xs[0]), twin64.Module, xs => run64(xs[0]), new[] { x }, rng);
    }
}
