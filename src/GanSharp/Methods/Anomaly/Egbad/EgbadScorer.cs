using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>
/// EGBAD scoring: one encoder and one generator pass per image; score α·‖x − G(E(x))‖₁ + (1 − α)·L_D with L_D the
/// cross-entropy or the feature-matching term (<see cref="EgbadLosses"/>); map |x − G(E(x))|. Eval mode throughout.
/// </summary>
public sealed class EgbadScorer : IAnomalyScorer
{
    readonly DcganGenerator g;
    readonly DcganEncoder e;
    readonly BiganDiscriminator d;

    /// <summary>Scores with the trained networks.</summary>
    public EgbadScorer(DcganGenerator generator, DcganEncoder encoder, BiganDiscriminator discriminator, EgbadOptions options)
    {
        g = generator;
        e = encoder;
        d = discriminator;
        Options = options.Validate();
    }

    /// <summary>The options (α, which L_D).</summary>
    public EgbadOptions Options { get; }

    /// <inheritdoc />
    public string Method => "egbad";

    /// <inheritdoc />
    public ImageShape Input => g.Output;

    /// <summary>The same networks scoring with another L_D variant.</summary>
    public EgbadScorer With(EgbadScoreKind score) => new(g, e, d, Options with { Score = score });

    /// <inheritdoc />
    public AnomalyScores Score(Tensor images, bool withMaps = false)
    {
        g.eval();
        e.eval();
        d.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var z = e.call(images);                                     // [N, Z]
        var xr = g.call(z);                                         // [N, C, H, W]
        var (realScore, realFeatures) = d.ScoreWithFeatures(images, z);
        var term = Options.Score == EgbadScoreKind.CrossEntropy
            ? EgbadLosses.CrossEntropyScore(realScore)
            : EgbadLosses.FeatureMatchingScore(realFeatures, d.ScoreWithFeatures(xr, z).Features);
        var scores = EgbadLosses.Score(EgbadLosses.Residual(images, xr), term, Options.Alpha).MoveToOuterDisposeScope(); // [N]
        var maps = withMaps ? AnomalyScoring.ResidualMap(images, xr).MoveToOuterDisposeScope() : null;
        return new AnomalyScores(scores, maps);
    }
}
