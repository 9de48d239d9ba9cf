using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>The DCGAN weight initialisation (Radford et al. 2016, section 4), shared by every DCGAN-shaped network.</summary>
/// <remarks>
/// Convolution, transposed-convolution and linear weights from N(0, 0.02), BatchNorm scales from N(1, 0.02), every
/// bias zero. GroupNorm (the critic's layer norm) starts as the identity map, scale 1 and shift 0: TorchSharp 0.107's
/// <c>nn.GroupNorm</c> allocates its affine parameters with <c>empty</c> and never initialises them (measured: garbage,
/// sometimes NaN, where PyTorch has ones and zeros).
/// </remarks>
public static class DcganInit
{
    /// <summary>Re-initialises <paramref name="modules"/> drawing from torch's global generator (seeded by the trainer).</summary>
    public static void Apply(params nn.Module[] modules) => Apply(null, modules);

    /// <summary>
    /// Re-initialises <paramref name="modules"/> from a private random stream seeded with <paramref name="seed"/>, so that
    /// the initial weights depend only on the seed and not on torch's global generator (which other code, and parallel
    /// tests, also draw from).
    /// </summary>
    public static void Apply(ulong seed, params nn.Module[] modules)
    {
        using var rng = new torch.Generator(seed);
        Apply(rng, modules);
    }

    static void Apply(torch.Generator? rng, nn.Module[] modules)
    {
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
                    else if (rng is null) nn.init.normal_(p, batchNorm ? 1.0 : 0.0, 0.02);
                    else p.copy_(randn(p.shape, generator: rng, dtype: p.dtype) * 0.02 + (batchNorm ? 1.0 : 0.0));
                }
            }
    }
}
