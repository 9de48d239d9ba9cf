using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>
/// f-AnoGAN scoring: one encoder pass and one generator pass per image; score A_R + κ·A_D
/// (<see cref="FAnoGanLosses"/>), map |x − G(E(x))|. Everything runs in eval mode.
/// </summary>
public sealed class FAnoGanScorer : IAnomalyScorer
{
    readonly IGenerator g;
    readonly IDiscriminator d;
    readonly DcganEncoder e;
    readonly double kappa;

    /// <summary>Scores with the trained networks.</summary>
    public FAnoGanScorer(IGenerator generator, IDiscriminator discriminator, DcganEncoder encoder, double kappa)
    {
        g = generator;
        d = discriminator;
        e = encoder;
        this.kappa = kappa;
    }

    /// <inheritdoc />
    public string Method => "fanogan";

    /// <inheritdoc />
    public ImageShape Input => g.Output;

    /// <inheritdoc />
    public AnomalyScores Score(Tensor images, bool withMaps = false)
    {
        g.Module.eval();
        d.Module.eval();
        e.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var xr = g.Generate(e.call(images));                     // [N, C, H, W]
        var ar = FAnoGanLosses.ImageResidual(images, xr);         // [N]
        var ad = FAnoGanLosses.FeatureResidual(d.ScoreWithFeatures(images).Features, d.ScoreWithFeatures(xr).Features); // [N]
        var scores = FAnoGanLosses.Score(ar, ad, kappa).MoveToOuterDisposeScope();
        var maps = withMaps ? AnomalyScoring.ResidualMap(images, xr).MoveToOuterDisposeScope() : null;
        return new AnomalyScores(scores, maps);
    }
}
