using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>The DCGAN weight initialisation (Radford et al. 2016, section 4).</summary>
internal static class DcganInit
{
    /// <summary>
    /// Convolution, transposed-convolution and linear weights from N(0, 0.02), BatchNorm scales from N(1, 0.02), every
    /// bias zero. GroupNorm (the critic's layer norm) starts as the identity map, scale 1 and shift 0.
    /// </summary>
    /// <remarks>
    /// GroupNorm must be set here: TorchSharp 0.107's <c>nn.GroupNorm</c> allocates its affine parameters with
    /// <c>empty</c> and never initialises them (measured: garbage, sometimes NaN, where PyTorch has ones and zeros).
    /// </remarks>
    public static void Apply(nn.Module root)
    {
        using var _ = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            bool linearOrConv = module is Conv2d or ConvTranspose2d or Linear;
            bool batchNorm = module is BatchNorm2d;
            bool groupNorm = module is GroupNorm;
            if (!linearOrConv && !batchNorm && !groupNorm) continue;
            foreach (var (name, p) in module.named_parameters(recurse: false))
            {
                if (name == "bias") nn.init.zeros_(p);
                else if (name != "weight") continue;
                else if (groupNorm) nn.init.ones_(p);
                else nn.init.normal_(p, batchNorm ? 1.0 : 0.0, 0.02);
            }
        }
    }
}
