using static TorchSharp.torch;

namespace GanSharp.Tests.Nn;

/// <summary>Float64 gradient checks: central finite differences against autograd for a scalar projection of an output.</summary>
public static class GradCheck
{
    /// <summary>
    /// Checks d(sum(f() · r))/d(t) for every tensor t in <paramref name="inputs"/> (float64 leaves that require grad),
    /// r a fixed random projection; at most <paramref name="maxPerTensor"/> entries per tensor are probed.
    /// Returns the largest absolute difference.
    /// </summary>
    public static double MaxError(Func<Tensor> f, IReadOnlyList<Tensor> inputs, int maxPerTensor = 40, double eps = 1e-6)
    {
        using var scope = NewDisposeScope();
        Tensor projection;
        using (no_grad())
        {
            var shape = f().shape;
            projection = randn(shape, dtype: float64, generator: new Generator(99));
        }
        Tensor Loss() => (f() * projection).sum();

        foreach (var t in inputs) t.grad?.zero_();
        var loss = Loss();
        var analytic = autograd.grad(new[] { loss }, inputs.ToList(), allow_unused: true);
        double worst = 0;
        using var _ = no_grad();
        for (int k = 0; k < inputs.Count; k++)
        {
            var t = inputs[k];
            Assert.Equal(ScalarType.Float64, t.dtype);
            var flat = t.view(-1); // shares storage: writes below perturb t
            var data = flat.data<double>();
            long n = t.numel();
            long step = Math.Max(1, n / maxPerTensor);
            var grad = analytic[k] is { } g && !g.IsInvalid ? g.contiguous().data<double>().ToArray() : new double[n];
            for (long i = 0; i < n; i += step)
            {
                double orig = data[i];
                data[i] = orig + eps;
                double up = Loss().item<double>();
                data[i] = orig - eps;
                double down = Loss().item<double>();
                data[i] = orig;
                double numeric = (up - down) / (2 * eps);
                worst = Math.Max(worst, Math.Abs(numeric - grad[i]) / Math.Max(1.0, Math.Abs(numeric)));
            }
        }
        return worst;
    }

    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && (a == b).all().item<bool>();
}
