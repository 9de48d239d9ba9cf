using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>What a single-code inversion found (tensors on the generator's device, without a graph).</summary>
/// <param name="Space">The codes' space.</param>
/// <param name="Codes">One code per image. // z [N, Z], w [N, S] or w+ [N, K, S]</param>
/// <param name="Noise">The noise maps used (optimised when asked), one per noise input <c>[N, 1, R, R]</c>; empty without noise inputs.</param>
/// <param name="Reconstructions">G(code) (not degraded). // [N, C, H, W]</param>
/// <param name="Losses">The final per-image objective. // [N]</param>
/// <param name="LossHistory">The mean loss over all images after each step.</param>
public sealed record InversionResult(LatentSpace Space, Tensor Codes, IReadOnlyList<Tensor> Noise, Tensor Reconstructions, Tensor Losses,
    IReadOnlyList<double> LossHistory);
