using GanSharp.Methods.Anomaly.AnoGan;
using GanSharp.Methods.Anomaly.Egbad;
using GanSharp.Methods.Anomaly.FAnoGan;
using GanSharp.Methods.Anomaly.Ganomaly;
using GanSharp.Tests.Losses;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Anomaly;

/// <summary>Every anomaly loss term and score against hand-computed values, and float64 gradient checks.</summary>
public class AnomalyLossTests
{
    static Tensor T(double[] v, params long[] shape) => tensor(v, shape, float64);

    // Two samples of two "pixels" and two features; residuals chosen so sums are easy to follow.
    static readonly Tensor X = T(new[] { 1.0, -1.0, 0.5, 0.0 }, 2, 2);
    static readonly Tensor Y = T(new[] { 0.0, 1.0, 0.5, -1.0 }, 2, 2);   // |x − y| = [1, 2], [0, 1]
    static readonly Tensor Fx = T(new[] { 2.0, 0.0, 1.0, 1.0 }, 2, 2);
    static readonly Tensor Fy = T(new[] { 0.0, 1.0, 1.0, 4.0 }, 2, 2);  // |fx − fy| = [2, 1], [0, 3]

    static double[] V(Tensor t) => t.detach().data<double>().ToArray();

    [Fact]
    public void AnoGanObjectiveIsWeightedSumOfResidualAndFeatureL1()
    {
        // R = [3, 1], D_f = [3, 3]; λ = 0.1 → 0.9·R + 0.1·D_f = [3.0, 1.2].
        var l = AnoGanLoss.Objective(X, Y, Fx, Fy, 0.1);
        Assert.Equal(new[] { 3.0, 1.2 }, V(l).Select(v => Math.Round(v, 12)));
        GradCheck.AssertMatches(y => GradCheck.Weighted(AnoGanLoss.Objective(X, y, Fx, Fy + 0.01 * y.sum(), 0.1)), Y + 0.123);
    }

    [Fact]
    public void GanomalyTermsMatchHandValues()
    {
        // L_adv = mean (fx − fy)² = (4 + 1 + 0 + 9)/4 = 3.5; L_con = mean |x − y| = 4/4 = 1; L_enc = mean (x − y)² = (1+4+0+1)/4 = 1.5.
        Assert.Equal(3.5, GanomalyLosses.Adversarial(Fx, Fy).item<double>(), 12);
        Assert.Equal(1.0, GanomalyLosses.Contextual(X, Y).item<double>(), 12);
        Assert.Equal(1.5, GanomalyLosses.Encoder(X, Y).item<double>(), 12);
        var o = new GanomalyOptions();
        Assert.Equal(1 * 3.5 + 50 * 1.0 + 1 * 1.5, GanomalyLosses.Generator(GanomalyLosses.Adversarial(Fx, Fy), GanomalyLosses.Contextual(X, Y), GanomalyLosses.Encoder(X, Y), o).item<double>(), 12);
        // Score per sample: mean over latent dims of squared difference = [(1+4)/2, (0+1)/2].
        Assert.Equal(new[] { 2.5, 0.5 }, V(GanomalyLosses.Score(X, Y)));
        GradCheck.AssertMatches(y => GanomalyLosses.Adversarial(Fx, y) + GanomalyLosses.Contextual(X, y + 0.05) + GanomalyLosses.Encoder(X, y), Y + 0.2);
        GradCheck.AssertMatches(y => GradCheck.Weighted(GanomalyLosses.Score(X, y)), Y);
    }

    [Fact]
    public void FAnoGanResidualsAndScoreMatchHandValues()
    {
        // A_R = mean (x − y)² per sample = [2.5, 0.5]; A_D = mean (fx − fy)² = [2.5, 4.5]; κ = 1 → [5, 5].
        Assert.Equal(new[] { 2.5, 0.5 }, V(FAnoGanLosses.ImageResidual(X, Y)));
        Assert.Equal(new[] { 2.5, 4.5 }, V(FAnoGanLosses.FeatureResidual(Fx, Fy)));
        Assert.Equal(new[] { 2.5, 0.5 }, V(FAnoGanLosses.LatentResidual(X, Y)));
        Assert.Equal(new[] { 5.0, 5.0 }, V(FAnoGanLosses.Score(FAnoGanLosses.ImageResidual(X, Y), FAnoGanLosses.FeatureResidual(Fx, Fy), 1)));
        Assert.Equal(new[] { 3.75, 2.75 }, V(FAnoGanLosses.Score(FAnoGanLosses.ImageResidual(X, Y), FAnoGanLosses.FeatureResidual(Fx, Fy), 0.5)));
        GradCheck.AssertMatches(y => GradCheck.Weighted(FAnoGanLosses.Score(FAnoGanLosses.ImageResidual(X, y), FAnoGanLosses.FeatureResidual(Fx, y * 2), 1)), Y);
    }

    [Fact]
    public void EgbadLossesAndScoreMatchHandValues()
    {
        var real = T(new[] { 0.0, 2.0 }, 2);
        var fake = T(new[] { 0.0, -1.0 }, 2);
        double Sp(double v) => Math.Log(1 + Math.Exp(v));
        // L_D = mean softplus(−real) + mean softplus(fake).
        Assert.Equal((Sp(0) + Sp(-2)) / 2 + (Sp(0) + Sp(-1)) / 2, EgbadLosses.Discriminator(real, fake).item<double>(), 12);
        // L_GE = mean softplus(real) + mean softplus(−fake).
        Assert.Equal((Sp(0) + Sp(2)) / 2 + (Sp(0) + Sp(1)) / 2, EgbadLosses.GeneratorEncoder(real, fake).item<double>(), 12);
        Assert.Equal(new[] { 3.0, 1.0 }, V(EgbadLosses.Residual(X, Y)));
        Assert.Equal(new[] { Sp(0), Sp(-2) }, V(EgbadLosses.CrossEntropyScore(real)).Select(v => Math.Round(v, 12)), new RoundedComparer());
        Assert.Equal(new[] { 3.0, 3.0 }, V(EgbadLosses.FeatureMatchingScore(Fx, Fy)));
        // α = 0.9: 0.9·[3, 1] + 0.1·[3, 3] = [3.0, 1.2].
        Assert.Equal(new[] { 3.0, 1.2 }, V(EgbadLosses.Score(EgbadLosses.Residual(X, Y), EgbadLosses.FeatureMatchingScore(Fx, Fy), 0.9)).Select(v => Math.Round(v, 12)));
        GradCheck.AssertMatches(s => EgbadLosses.Discriminator(s, fake) + EgbadLosses.GeneratorEncoder(s, s * 0.5), real + 0.3);
        GradCheck.AssertMatches(y => GradCheck.Weighted(EgbadLosses.Score(EgbadLosses.Residual(X, y), EgbadLosses.CrossEntropyScore(y.sum(1)), 0.9)), Y + 0.11);
    }

    sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;
        public int GetHashCode(double v) => 0;
    }
}
