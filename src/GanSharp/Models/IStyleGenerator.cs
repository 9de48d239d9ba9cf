using static TorchSharp.torch;

namespace GanSharp.Models;

/// <summary>A generator with a mapping network whose training uses style mixing and a tracked mean latent (StyleGAN).</summary>
public interface IStyleGenerator : IGenerator
{
    /// <summary>Probability of style mixing regularisation during training.</summary>
    double MixingProbability { get; }

    /// <summary>w+ <c>[N, StyleCount, StyleSize]</c> that switches from Map(z1) to Map(z2) at a random crossover, with the given probability.</summary>
    Tensor MixStyles(Tensor z1, Tensor z2, double probability, Generator? rng = null);

    /// <summary>Moves the tracked mean latent towards the mean of <paramref name="w"/> <c>[N, StyleSize]</c>.</summary>
    void UpdateMeanLatent(Tensor w);

    /// <summary>Per-layer noise for <paramref name="n"/> images drawn from <paramref name="rng"/>.</summary>
    IReadOnlyList<Tensor> MakeNoise(long n, Generator? rng = null, Device? device = null);
}
