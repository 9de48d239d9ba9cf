using GanSharp.Losses;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Tests.Losses;

/// <summary>Goodfellow 2014, Theorem 1: at D* = p/(p + q) the GAN value is 2·JSD(p ‖ q) − log 4.</summary>
public class MinimaxTheoryTests
{
    // Two distributions over four points, in eighths so each can be written as a batch of 8 samples.
    static readonly double[] P = { 4 / 8.0, 2 / 8.0, 1 / 8.0, 1 / 8.0 };
    static readonly double[] Q = { 1 / 8.0, 1 / 8.0, 2 / 8.0, 4 / 8.0 };

    static double Kl(double[] a, double[] b) => a.Select((ai, i) => ai * Math.Log(ai / b[i])).Sum();

    static double Jsd(double[] p, double[] q)
    {
        var m = p.Select((pi, i) => (pi + q[i]) / 2).ToArray();
        return Kl(p, m) / 2 + Kl(q, m) / 2;
    }

    static double Value(double[] d) => P.Select((p, i) => p * Math.Log(d[i]) + Q[i] * Math.Log(1 - d[i])).Sum();

    [Fact]
    public void ValueAtTheOptimalDiscriminatorIsTwiceJsdMinusLog4()
    {
        var dStar = P.Select((p, i) => p / (p + Q[i])).ToArray();
        Assert.Equal(2 * Jsd(P, Q) - Math.Log(4), Value(dStar), 12);
        // D* is the maximiser: nudging any entry lowers the value.
        for (int i = 0; i < dStar.Length; i++)
            foreach (var step in new[] { -0.01, 0.01 })
            {
                var d = (double[])dStar.Clone();
                d[i] += step;
                Assert.True(Value(d) < Value(dStar));
            }
        // Identical distributions: JSD = 0, value −log 4, D* = ½ everywhere.
        Assert.Equal(-Math.Log(4), P.Select(p => p * Math.Log(0.5) + p * Math.Log(0.5)).Sum(), 12);
    }

    [Fact]
    public void LibraryDiscriminatorLossAtDStarIsLog4MinusTwiceJsd()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        // D*'s logit at point i is log(D*/(1 − D*)) = log(p_i/q_i). A batch with point i repeated 8·p_i times
        // (reals) or 8·q_i times (fakes) makes the batch means the expectations over p and q.
        var logits = P.Select((p, i) => Math.Log(p / Q[i])).ToArray();
        double[] Batch(double[] dist) => dist.SelectMany((w, i) => Enumerable.Repeat(logits[i], (int)Math.Round(w * 8))).ToArray();
        var real = tensor(Batch(P), float64);
        var fake = tensor(Batch(Q), float64);
        Assert.Equal(8, real.shape[0]);
        Assert.Equal(8, fake.shape[0]);
        double lossD = MinimaxLoss.Discriminator(real, fake).item<double>();
        Assert.Equal(Math.Log(4) - 2 * Jsd(P, Q), lossD, 12);
        // The saturating G loss at D* is the fake half of the value: E_q[log(1 − D*)].
        double fakeHalf = Q.Select((q, i) => q * Math.Log(Q[i] / (P[i] + Q[i]))).Sum();
        Assert.Equal(fakeHalf, MinimaxLoss.GeneratorMinimax(fake).item<double>(), 12);
    }
}
