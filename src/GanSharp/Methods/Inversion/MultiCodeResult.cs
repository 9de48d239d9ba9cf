using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>What an mGANprior inversion found (tensors on the generator's device, without a graph).</summary>
/// <param name="Space">The codes' space.</param>
/// <param name="Layer">ℓ, the composition layer.</param>
/// <param name="Codes">N codes per image. // [B, N, Z] / [B, N, S] / [B, N, K, S]</param>
/// <param name="Alphas">Per-channel importance of every code. // [B, N, C_ℓ]</param>
/// <param name="Noise">The fixed noise maps, one per noise input <c>[B, 1, R, R]</c>; empty without noise inputs.</param>
/// <param name="Reconstructions">The composed images (not degraded). // [B, C, H, W]</param>
/// <param name="Losses">The final per-image objective. // [B]</param>
/// <param name="LossHistory">The mean loss over all images after each step.</param>
public sealed record MultiCodeResult(LatentSpace Space, int Layer, Tensor Codes, Tensor Alphas, IReadOnlyList<Tensor> Noise, Tensor Reconstructions,
    Tensor Losses, IReadOnlyList<double> LossHistory);
