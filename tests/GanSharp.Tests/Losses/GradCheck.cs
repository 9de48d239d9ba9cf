using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Losses;

/// <summary>Float64 gradient checks: autograd against central differences.</summary>
static class GradCheck
{
    /// <summary>
    /// Asserts that the gradient autograd gives for scalar <paramref name="f"/> at <paramref name="x"/> matches
    /// central differences (f(x + h·e_i) − f(x − h·e_i)) / 2h for every element. Inputs are passed with
    /// requires_grad so functions that differentiate with respect to them (R1) work on the perturbed copies too.
    /// </summary>
    public static void AssertMatches(Func<Tensor, Tensor> f, Tensor x, double h = 1e-6, double tolerance = 1e-6)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.Float64, x.dtype);
        var shape = x.shape;
        double[] x0 = x.detach().cpu().contiguous().data<double>().ToArray();
        var xi = tensor(x0, shape, float64).requires_grad_(true);
        var y = f(xi);
        Assert.Equal(0, y.dim());
        // TorchSharp's autograd.grad terminates the process on an output without a graph; fail the test instead.
        Assert.True(y.requires_grad, "the checked function's output does not depend on its input through autograd");
        double[] analytic = autograd.grad(new[] { y }, new[] { xi })[0].detach().contiguous().data<double>().ToArray();
        double Eval(double[] values)
        {
            using var s = NewDisposeScope();
            return f(tensor(values, shape, float64).requires_grad_(true)).item<double>();
        }
        for (int i = 0; i < x0.Length; i++)
        {
            var plus = (double[])x0.Clone();
            var minus = (double[])x0.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (Eval(plus) - Eval(minus)) / (2 * h);
            double err = Math.Abs(numeric - analytic[i]);
            Assert.True(err <= tolerance * Math.Max(1, Math.Abs(numeric)),
                $"element {i}: autograd {analytic[i]:R}, central difference {numeric:R}, error {err:E2}");
        }
    }

    /// <summary>Reduces a <c>[N]</c> output to a scalar with fixed, distinct weights so every element is checked.</summary>
    public static Tensor Weighted(Tensor perSample)
    {
        var w = arange(1, perSample.shape[0] + 1, dtype: float64) * 0.37 - 0.5;
        return (perSample * w).sum();
    }

    public static Tensor T(params double[] values) => tensor(values, float64);
}
