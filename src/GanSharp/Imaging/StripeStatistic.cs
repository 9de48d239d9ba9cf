using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>
/// How much an image (or feature map) batch varies along its width compared with along its height: the measure of a
/// vertical stripe texture. 1 means isotropic; above 1, neighbouring columns differ more than neighbouring rows
/// (vertical stripes); below 1, horizontal stripes.
/// </summary>
public static class StripeStatistic
{
    /// <summary>
    /// <c>Σ (x[.., y, x+1] − x[.., y, x])² / Σ (x[.., y+1, x] − x[.., y, x])²</c> over every leading index of
    /// <paramref name="x"/> <c>[..., H, W]</c> (H, W ≥ 2): the column-to-row high-frequency energy ratio, in float64.
    /// </summary>
    public static double ColumnToRowEnergy(Tensor x)
    {
        Check(x);
        using var scope = NewDisposeScope();
        var d = x.detach().to(ScalarType.Float64);
        double columns = d.diff(dim: -1).square().sum().item<double>(); // neighbours along W
        double rows = d.diff(dim: -2).square().sum().item<double>();    // neighbours along H
        return columns / rows;
    }

    /// <summary>
    /// The power at the horizontal Nyquist frequency (a pattern alternating column by column: period-2 vertical stripes)
    /// over the power at the vertical Nyquist frequency, each summed over every line of <paramref name="x"/>
    /// <c>[..., H, W]</c> (H, W ≥ 2, even sides keep the two symmetric), in float64.
    /// </summary>
    public static double NyquistRatio(Tensor x)
    {
        Check(x);
        using var scope = NewDisposeScope();
        var d = x.detach().to(ScalarType.Float64);
        long h = d.shape[^2], w = d.shape[^1];
        var signW = 1 - 2 * (arange(w, ScalarType.Float64, d.device) % 2); // [W]: +1, −1, …
        var signH = (1 - 2 * (arange(h, ScalarType.Float64, d.device) % 2)).unsqueeze(-1); // [H, 1]
        double horizontal = (d * signW).sum(-1).square().sum().item<double>() / w; // per row: |X(Nyquist)|² / W
        double vertical = (d * signH).sum(-2).square().sum().item<double>() / h;   // per column
        return horizontal / vertical;
    }

    static void Check(Tensor x)
    {
        if (x.dim() < 2 || x.shape[^1] < 2 || x.shape[^2] < 2)
            throw new ArgumentException($"expected [..., H, W] with H, W ≥ 2, got [{string.Join(", ", x.shape)}]", nameof(x));
    }
}
