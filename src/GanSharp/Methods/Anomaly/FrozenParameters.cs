using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// Turns off <c>requires_grad</c> on the parameters of some modules for a scope and restores each flag on dispose, so
/// that an optimisation over inputs (AnoGAN's latent search) or over another network (f-AnoGAN's encoder) does not
/// accumulate gradients in networks that must stay fixed.
/// </summary>
public sealed class FrozenParameters : IDisposable
{
    readonly List<(Tensor Parameter, bool RequiresGrad)> saved = new();

    /// <summary>Freezes every parameter of <paramref name="modules"/>.</summary>
    public FrozenParameters(params nn.Module[] modules)
    {
        foreach (var m in modules)
            foreach (var p in m.parameters())
            {
                saved.Add((p, p.requires_grad));
                p.requires_grad_(false);
            }
    }

    /// <summary>Restores the flags.</summary>
    public void Dispose()
    {
        foreach (var (p, flag) in saved) p.requires_grad_(flag);
        saved.Clear();
    }
}
