using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>
/// PadInv's encoder: a <see cref="DcganEncoder"/> backbone whose head predicts the latent code (as an offset from the
/// space's centre) and, for every padded layer, a coefficient tensor <c>[R, 4, L]</c>; a learned <c>[C, R]</c> matrix per
/// layer turns coefficients into padding values (<see cref="PaddingBorder"/>). The matrices start at zero, so an
/// untrained encoder leaves the generator's zero padding in place.
/// </summary>
public sealed class PadInvEncoder : nn.Module<Tensor, Tensor>
{
    readonly DcganEncoder backbone;
    readonly ParameterList mixing; // per layer [C, R]

    /// <summary>Builds the encoder of <paramref name="architecture"/> (backbone initialised from <paramref name="seed"/>).</summary>
    public PadInvEncoder(PadInvArchitecture architecture, ulong seed = 0) : base(nameof(PadInvEncoder))
    {
        Arch = architecture ?? throw new ArgumentNullException(nameof(architecture));
        backbone = architecture.Encoder.CreateEncoder(seed);
        mixing = new ParameterList(architecture.Layers.Select(l => new Parameter(zeros(l.Channels, architecture.Rank))).ToArray());
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public PadInvArchitecture Arch { get; }

    /// <summary>The backbone's raw outputs <c>[N, code + layers · R·4·L]</c> for images <c>[N, C, H, W]</c>.</summary>
    public override Tensor forward(Tensor images) => backbone.call(images);

    /// <summary>The per-layer coefficients in raw outputs <c>[N, outputs]</c>. // [N, R, 4, L] per layer</summary>
    public IReadOnlyList<Tensor> Coefficients(Tensor outputs)
    {
        long n = outputs.shape[0], start = Arch.Encoder.CodeSize, per = Arch.CoefficientsPerLayer;
        return Arch.Layers.Select((_, i) => outputs[.., (int)(start + i * per)..(int)(start + (i + 1) * per)].reshape(n, Arch.Rank, 4, Arch.SidePoints)).ToList();
    }

    /// <summary>Padding values of every layer from coefficients. // [N, C_l, S_l, S_l] per layer</summary>
    public IReadOnlyList<Tensor> Padding(IReadOnlyList<Tensor> coefficients) =>
        Arch.Layers.Select((l, i) => PaddingBorder.Build(coefficients[i], mixing[i], l.Side, l.Padding)).ToList();
}
