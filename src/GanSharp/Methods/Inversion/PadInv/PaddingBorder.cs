using GanSharp.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>
/// PadInv's padding values of one layer from its coefficients: a coefficient tensor <c>p [N, R, 4, L]</c> (rank R, the
/// four sides top, bottom, left, right, L control points along a side) is mixed to the layer's channels by a learned
/// <c>[C, R]</c> matrix, interpolated linearly along each side to the padded side length S = H + 2·padding, and placed
/// in the border of an <c>[N, C, S, S]</c> tensor for <see cref="Nn.IPaddingHook.ExternalPadding"/> (top and bottom
/// strips cover the corners; every ring of a wider padding gets the same values).
/// </summary>
/// <remarks>
/// A low-rank, low-resolution parameterisation chosen by GanSharp so that the encoder's head stays small on CPU (PadInv,
/// Bai et al. ECCV 2022, predicts the padding maps with convolutional branches); it is linear in p, so mixing two
/// images' coefficients mixes their padding values.
/// </remarks>
public static class PaddingBorder
{
    /// <summary>The external padding tensor of coefficients <paramref name="coefficients"/> <c>[N, R, 4, L]</c> and mixing <paramref name="mixing"/> <c>[C, R]</c>.</summary>
    /// <param name="coefficients">// [N, R, 4, L]</param>
    /// <param name="mixing">// [C, R]</param>
    /// <param name="side">S, the padded side length.</param>
    /// <param name="padding">The padding width.</param>
    /// <returns>// [N, C, S, S], zero in the interior</returns>
    public static Tensor Build(Tensor coefficients, Tensor mixing, int side, int padding)
    {
        if (coefficients.dim() != 4 || coefficients.shape[2] != 4 || mixing.dim() != 2 || mixing.shape[1] != coefficients.shape[1])
            throw new ArgumentException($"coefficients [N, R, 4, L] and mixing [C, R] expected, got [{string.Join(", ", coefficients.shape)}] and [{string.Join(", ", mixing.shape)}]");
        if (padding < 1 || side <= 2 * padding) throw new ArgumentOutOfRangeException(nameof(side), $"side {side} with padding {padding}");
        using var scope = NewDisposeScope();
        long n = coefficients.shape[0], c = mixing.shape[0], l = coefficients.shape[3];
        var values = matmul(coefficients.permute(0, 2, 3, 1), mixing.t()).permute(0, 3, 1, 2);  // [N, C, 4, L]
        var sides = F.interpolate(values.reshape(n, c * 4, l), new long[] { side }, mode: InterpolationMode.Linear, align_corners: true)
            .view(n, c, 4, side);                                                                  // [N, C, 4, S]
        var rows = arange(side, device: coefficients.device).view(side, 1);                       // [S, 1]
        var cols = arange(side, device: coefficients.device).view(1, side);                       // [1, S]
        var dtype = coefficients.dtype;
        var top = rows.lt(padding).expand(side, side).to(dtype);                                   // [S, S]
        var bottom = rows.ge(side - padding).expand(side, side).to(dtype);
        var middle = (rows.ge(padding) & rows.lt(side - padding)).expand(side, side);
        var left = (middle & cols.lt(padding)).to(dtype);
        var right = (middle & cols.ge(side - padding)).to(dtype);
        var result = sides[.., .., 0].unsqueeze(2) * top + sides[.., .., 1].unsqueeze(2) * bottom
                   + sides[.., .., 2].unsqueeze(3) * left + sides[.., .., 3].unsqueeze(3) * right; // [N, C, S, S]
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Installs padding values in the generator's hooks <paramref name="layers"/> until disposed (then zero padding again).
    /// </summary>
    public static IDisposable Install(IGenerator g, IReadOnlyList<int> layers, IReadOnlyList<Tensor> padding)
    {
        if (layers.Count != padding.Count) throw new ArgumentException($"{padding.Count} padding tensors for {layers.Count} layers");
        for (int i = 0; i < layers.Count; i++) g.PaddingHooks[layers[i]].ExternalPadding = padding[i];
        return new Uninstall(g, layers);
    }

    sealed class Uninstall(IGenerator g, IReadOnlyList<int> layers) : IDisposable
    {
        public void Dispose()
        {
            foreach (int i in layers) g.PaddingHooks[i].ExternalPadding = null;
        }
    }
}
