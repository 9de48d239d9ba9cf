using GanSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Platform;

/// <summary>
/// The tensor where the fast convolution path departs most from float64, measured norm-wise.
/// </summary>
/// <param name="Error">Fast path: ‖a − ref‖ / ‖ref‖ for that tensor.</param>
/// <param name="Baseline">Safe path (oneDNN off, no channel padding), same measure, same tensor: shown beside the error.</param>
/// <param name="Where">Which tensor: <c>output</c>, <c>input i gradient</c> or <c>NAME gradient</c>.</param>
public sealed record NumericsComparison(double Error, double Baseline, string Where)
{
    /// <summary>The fixed bound every tensor must meet: <see cref="ModelNumerics.Bound"/>.</summary>
    public double Allowed => ModelNumerics.Bound;

    /// <summary>Error over allowed error (NaN counts as +∞): above 1 means the fast path is wrong.</summary>
    public double Excess => double.IsNaN(Error) ? double.PositiveInfinity : Error / Allowed;

    /// <summary>Whether the fast path is within the bound here.</summary>
    public bool Passed => Excess <= 1;
}

/// <summary>One tensor of the end-to-end check: its norm-wise and max-wise relative errors against float64 on both paths.</summary>
/// <param name="Where">Which tensor: <c>output</c>, <c>input i gradient</c> or <c>NAME gradient</c>.</param>
/// <param name="Fast">Fast path: ‖a − ref‖ / ‖ref‖.</param>
/// <param name="Safe">Safe path (oneDNN off): ‖a − ref‖ / ‖ref‖.</param>
/// <param name="FastMax">Fast path: max |a − ref| / max |ref|.</param>
/// <param name="SafeMax">Safe path: max |a − ref| / max |ref|.</param>
public sealed record TensorNumerics(string Where, double Fast, double Safe, double FastMax, double SafeMax)
{
    /// <summary>This tensor as a comparison for the acceptance rule.</summary>
    public NumericsComparison Comparison => new(Fast, Safe, Where);

    /// <summary>Whether float32 is accurate enough here to count as evidence: the safe path within <see cref="ModelNumerics.VerifiableLimit"/>.</summary>
    public bool Verifiable => Safe <= ModelNumerics.VerifiableLimit;
}

/// <summary>
/// End-to-end numerics check of a network on this machine: the float32 network on the fast convolution path and on the
/// safe path, each against a float64 twin with the same weights (float64 never takes the oneDNN path), on the real input
/// shape. It compares the output, the input gradients and every parameter gradient.
/// </summary>
public static class ModelNumerics
{
    /// <summary>
    /// The largest norm-wise relative error, ‖a − ref‖ / ‖ref‖, any tensor may show on the fast path. Measured by
    /// <c>GanSharp.Bench numerics-separation</c> on every network GanSharp ships (bundled checkpoints and fresh networks
    /// of the presets, batch 8 and 32, G, D and D's penalty double backward): float32 rounding on the safe path reaches
    /// at most 4e-5 (25× below), while a wrong kernel in the convolutions (gradient off by ±f by column, the
    /// smallest of oneDNN's measured wrong kernels being f ≈ 4e-2) gives 4.5e-3 already at f = 1e-3 (4.5× above) and
    /// 0.2 at f = 4e-2. A fast path whose error cannot be told from a wrong kernel at this bound is not used.
    /// </summary>
    public const double Bound = 1e-3;

    /// <summary>
    /// A tensor is evidence only where the safe float32 path itself is within a tenth of <see cref="Bound"/> of
    /// float64 there. Ill-conditioned spots (D's penalty input gradient through the minibatch standard deviation, at
    /// batch 32: up to 1e-2 on the safe path) cannot tell a wrong kernel from rounding; a wrong kernel shows in most
    /// of the other tensors (hundreds in the separation table).
    /// </summary>
    public const double VerifiableLimit = Bound / 10;

    /// <summary>The worst of two comparisons.</summary>
    public static NumericsComparison Worst(NumericsComparison a, NumericsComparison b) => b.Excess > a.Excess ? b : a;

    /// <summary>
    /// The tensor where <paramref name="run32"/> on <paramref name="net32"/> with the fast path departs most from
    /// <paramref name="run64"/> on <paramref name="net64"/>, relative to the safe path's own error there, for the given
    /// float64 inputs: outputs, and gradients of a random projection of the output with respect to the inputs and to
    /// every parameter. NaN or Inf counts as +∞. Leaves the convolution switches as it found them.
    /// </summary>
    public static NumericsComparison Compare(nn.Module net32, Func<Tensor[], Tensor> run32, nn.Module net64, Func<Tensor[], Tensor> run64,
        IReadOnlyList<Tensor> inputs, Generator rng) =>
        Verdict(CompareTensors(net32, run32, net64, run64, inputs, rng));

    /// <summary>
    /// The acceptance rule over one check's tensors: the worst fast-path error among the verifiable tensors (see
    /// <see cref="TensorNumerics.Verifiable"/>), which must be within <see cref="Bound"/>. A non-finite fast-path
    /// tensor fails wherever it is; so does a check without a single verifiable tensor.
    /// </summary>
    public static NumericsComparison Verdict(IReadOnlyList<TensorNumerics> tensors)
    {
        if (tensors.FirstOrDefault(t => !double.IsFinite(t.Fast)) is { } bad) return bad.Comparison;
        var verifiable = tensors.Where(t => t.Verifiable).ToList();
        if (verifiable.Count == 0)
        {
            var worst = tensors.MaxBy(t => t.Safe)!;
            return new NumericsComparison(double.PositiveInfinity, worst.Safe,
                $"{tensors.Count - verifiable.Count} of {tensors.Count} tensors unverifiable (float32 itself off by more than {VerifiableLimit:g} there; worst {worst.Where})");
        }
        return verifiable.Select(t => t.Comparison).Aggregate(Worst);
    }

    /// <summary>
    /// Every tensor <see cref="Compare"/> looks at, with both error measures on both paths (for the separation bench).
    /// </summary>
    public static IReadOnlyList<TensorNumerics> CompareTensors(nn.Module net32, Func<Tensor[], Tensor> run32, nn.Module net64, Func<Tensor[], Tensor> run64,
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
        bool wasMkldnn = LibTorchSwitches.IsAvailable && LibTorchSwitches.MkldnnEnabled;
        (Tensor Out, Tensor[] Grads, Tensor Cotangent) safe, fast;
        try
        {
            // The safe path proper: oneDNN off even where the start-up probes kept it on, no channel padding.
            TorchRuntime.FastPathSwitches = false;
            if (LibTorchSwitches.IsAvailable) LibTorchSwitches.MkldnnEnabled = false;
            safe = Run(net32, run32, float32, cot);
            TorchRuntime.FastPathSwitches = true;
            fast = Run(net32, run32, float32, cot);
        }
        finally
        {
            TorchRuntime.FastPathSwitches = wasFast;
            if (LibTorchSwitches.IsAvailable) LibTorchSwitches.MkldnnEnabled = wasMkldnn;
        }
        var names = Enumerable.Range(0, inputs.Count).Select(i => $"input {i} gradient")
            .Concat(net32.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name + " gradient")).ToArray();
        static TensorNumerics Measure(string where, Tensor f, Tensor s, Tensor r)
        {
            var (fastNorm, fastMax) = Errors(f, r);
            var (safeNorm, safeMax) = Errors(s, r);
            return new(where, fastNorm, safeNorm, fastMax, safeMax);
        }
        var list = new List<TensorNumerics> { Measure("output", fast.Out, safe.Out, reference.Out) };
        for (int i = 0; i < reference.Grads.Length; i++)
            list.Add(Measure(i < names.Length ? names[i] : $"gradient {i}", fast.Grads[i], safe.Grads[i], reference.Grads[i]));
        return list;
    }

    /// <summary>
    /// <c>‖a − ref‖₂ / ‖ref‖₂</c> in float64, the error measure of the acceptance check; +∞ when a is not finite or the
    /// sizes differ. A reference of norm below 1e-12 (a gradient that is zero, e.g. of an unused parameter) is
    /// compared in absolute terms.
    /// </summary>
    public static double NormRelativeError(Tensor a, Tensor reference) => Errors(a, reference).Norm;

    /// <summary><c>max |a − ref| / max(max |ref|, 1e-6)</c> in float64; +∞ when a is not finite.</summary>
    public static double RelativeError(Tensor a, Tensor reference) => Errors(a, reference).Max;

    /// <summary>Both relative errors of <paramref name="a"/> against <paramref name="reference"/> from one float64 copy of each (+∞ when a is not finite or the sizes differ).</summary>
    static (double Norm, double Max) Errors(Tensor a, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to(float64).cpu();
        if (!a64.isfinite().all().item<bool>() || a64.numel() != reference.numel()) return (double.PositiveInfinity, double.PositiveInfinity);
        var r = reference.to(float64).cpu().reshape(a64.shape);
        var d = a64 - r;
        return (d.norm().item<double>() / Math.Max(r.norm().item<double>(), 1e-12),
                d.abs().max().item<double>() / Math.Max(r.abs().max().item<double>(), 1e-6));
    }

    /// <summary>
    /// <see cref="Compare"/> for a generator: w = Map(z) then Synthesize with fixed noise, on a batch of
    /// <paramref name="batch"/>. <paramref name="twin64"/> must hold the same weights in float64.
    /// </summary>
    public static NumericsComparison GeneratorError(IGenerator net, IGenerator twin64, int batch, Generator rng) =>
        Verdict(GeneratorTensors(net, twin64, batch, rng));

    /// <summary>The tensors of <see cref="GeneratorError"/>, each with both measures on both paths.</summary>
    public static IReadOnlyList<TensorNumerics> GeneratorTensors(IGenerator net, IGenerator twin64, int batch, Generator rng)
    {
        using var scope = NewDisposeScope();
        var device = net.Module.parameters().First().device;
        var z = randn(new long[] { batch, net.LatentSize }, dtype: float64, generator: rng).to(device);
        var noise = net.NoiseShapes.Select(s => randn(new long[] { 1 }.Concat(s).ToArray(), dtype: float64, generator: rng).to(device)).ToArray();
        static Func<Tensor[], Tensor> Run(IGenerator g) => xs => g.Synthesize(g.Map(xs[0]), xs.Skip(1).ToArray());
        return CompareTensors(net.Module, Run(net), twin64.Module, Run(twin64), new[] { z }.Concat(noise).ToArray(), rng);
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

    static NumericsComparison DiscriminatorError(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng, Func<IDiscriminator, Func<Tensor, Tensor>> run) =>
        Verdict(DiscriminatorTensors(net, twin64, batch, rng, run));

    /// <summary>The tensors of <see cref="DiscriminatorError(IDiscriminator, IDiscriminator, int, Generator)"/>, or with <paramref name="penalty"/> of <see cref="PenaltyError"/>.</summary>
    public static IReadOnlyList<TensorNumerics> DiscriminatorTensors(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng, bool penalty) =>
        DiscriminatorTensors(net, twin64, batch, rng, penalty ? d => x => InputGradientNorm(d.Score, x) : d => x => d.Score(x));

    static IReadOnlyList<TensorNumerics> DiscriminatorTensors(IDiscriminator net, IDiscriminator twin64, int batch, Generator rng, Func<IDiscriminator, Func<Tensor, Tensor>> run)
    {
        using var scope = NewDisposeScope();
        var device = net.Module.parameters().First().device;
        var s = net.Input;
        var x = (rand(new long[] { batch, s.Channels, s.Height, s.Width }, dtype: float64, generator: rng) * 2 - 1).to(device);
        var run32 = run(net);
        var run64 = run(twin64);
        return CompareTensors(net.Module, xs => run32(xs[0]), twin64.Module, xs => run64(xs[0]), new[] { x }, rng);
    }
}
