using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>
/// The DCGAN initialisation (weights N(0, 0.02), BatchNorm scales N(1, 0.02), biases 0, GroupNorm identity) drawn from
/// a private random stream, so that a model's initial weights depend only on its seed and not on torch's global
/// generator (which other code, and parallel tests, also draw from).
/// </summary>
public static class AnomalyInit
{
    /// <summary>Re-initialises every convolution, linear and normalisation layer of <paramref name="modules"/> from <paramref name="seed"/>.</summary>
    public static void Apply(ulong seed, params nn.Module[] modules)
    {
        using var rng = new torch.Generator(seed);
        using var _ = no_grad();
        foreach (var root in modules)
            foreach (var (_, module) in root.named_modules())
            {
                bool linearOrConv = module is Conv2d or ConvTranspose2d or Linear;
                bool batchNorm = module is BatchNorm2d or BatchNorm1d;
                bool groupNorm = module is GroupNorm;
                if (!linearOrConv && !batchNorm && !groupNorm) continue;
                foreach (var (name, p) in module.named_parameters(recurse: false))
                {
                    if (name == "bias") p.zero_();
                    else if (name != "weight") continue;
                    else if (groupNorm) p.fill_(1.0);
                    else p.copy_(randn(p.shape, generator: rng, dtype: p.dtype) * 0.02 + (batchNorm ? 1.0 : 0.0));
                }
            }
    }
}
