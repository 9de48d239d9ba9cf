using static TorchSharp.torch;

namespace GanSharp.Models;

/// <summary>
/// A generator whose synthesis after a layer can be perturbed block by block: GAN Paint fits multiplicative
/// perturbations (1 + δ_b) to the feature maps of every block after the editing layer so that the generator reproduces
/// one photo (Bau et al., "Semantic Photo Manipulation with a Generative Image Prior", SIGGRAPH 2019, §3.2).
/// </summary>
public interface IBlockwiseGenerator : IGenerator
{
    /// <summary>
    /// <see cref="IGenerator.SynthesizeFrom"/> with <paramref name="perturb"/>(b, x) applied to the feature maps x of
    /// every block b after <paramref name="layer"/> before they are used further (never to the output image itself).
    /// An identity <paramref name="perturb"/> gives exactly <see cref="IGenerator.SynthesizeFrom"/>.
    /// </summary>
    Tensor SynthesizeFrom(int layer, Tensor features, Tensor ws, IReadOnlyList<Tensor>? noise, Func<int, Tensor, Tensor> perturb);
}
