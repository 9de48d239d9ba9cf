using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Nn;

/// <summary>
/// A stride-1 convolution whose padding is explicit so that it can be replaced per instance (<see cref="IPaddingHook"/>):
/// the input is zero-padded, then <c>ExternalPadding · borderMask</c> is added (the interior of the external tensor is
/// ignored), then the convolution runs without padding.
/// </summary>
/// <remarks>
/// Bai, Shen, Zhou et al., "High-fidelity GAN Inversion with Padding Space", ECCV 2022 (PadInv): the zero padding of a
/// generator's convolutions is a place where spatial information can be injected. With <see cref="ExternalPadding"/>
/// null the layer is exactly <c>conv2d(x, w, b, padding)</c>.
/// </remarks>
public sealed class PaddedConv2d : nn.Module<Tensor, Tensor>, IPaddingHook
{
    readonly Parameter weight; // [out, in, k, k]
    readonly Parameter? bias;  // [out]
    readonly PaddingState state;

    /// <summary>Creates the convolution with PyTorch's default (Kaiming-uniform) initialisation.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="padding">Padding on each side; -1 means <c>kernelSize / 2</c> ("same" for odd kernels).</param>
    /// <param name="hasBias">Whether the layer adds a bias.</param>
    /// <param name="name">Module name.</param>
    public PaddedConv2d(int inChannels, int outChannels, int kernelSize, int padding = -1, bool hasBias = true,
        string name = "padded_conv2d") : base(name)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), "channels and kernel size must be positive");
        state = new PaddingState(inChannels, padding < 0 ? kernelSize / 2 : padding);
        OutChannels = outChannels;
        KernelSize = kernelSize;
        // PyTorch's Conv2d default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias, kaiming_uniform(a = sqrt(5)) for the weight.
        double bound = 1.0 / Math.Sqrt(inChannels * kernelSize * kernelSize);
        weight = nn.Parameter(empty(outChannels, inChannels, kernelSize, kernelSize));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (hasBias)
        {
            bias = nn.Parameter(empty(outChannels));
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public int Channels => state.Channels;

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; }

    /// <inheritdoc />
    public int Padding => state.Padding;

    /// <inheritdoc />
    public (int Height, int Width) LastInputSize => state.LastInputSize;

    /// <inheritdoc />
    public Tensor? ExternalPadding { get => state.External; set => state.External = value; }

    /// <summary>The weight <c>[out, in, k, k]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias <c>[out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>Convolves <c>[N, in, H, W]</c> to <c>[N, out, H + 2p − k + 1, W + 2p − k + 1]</c>.</summary>
    public override Tensor forward(Tensor input) => state.Convolve(input, weight, bias);

    /// <summary>
    /// Pads <paramref name="input"/> <c>[N, C, H, W]</c> to <c>[N, C, H + 2p, W + 2p]</c> with zeros and, when
    /// <paramref name="external"/> (<c>[N or 1, C, H + 2p, W + 2p]</c>) is given, adds its border values; its interior is ignored.
    /// </summary>
    public static Tensor Pad(Tensor input, int padding, Tensor? external)
    {
        if (padding == 0) return input.alias();
        using var scope = NewDisposeScope();
        var padded = F.pad(input, new long[] { padding, padding, padding, padding }); // [N, C, H + 2p, W + 2p]
        if (external is null) return padded.MoveToOuterDisposeScope();
        long hp = padded.shape[2], wp = padded.shape[3];
        var mask = ones(new long[] { hp, wp }, dtype: external.dtype, device: external.device); // [H + 2p, W + 2p]
        mask[TensorIndex.Slice(padding, hp - padding), TensorIndex.Slice(padding, wp - padding)] = 0;
        return (padded + external * mask).MoveToOuterDisposeScope();
    }

    /// <summary>The padding bookkeeping shared by <see cref="PaddedConv2d"/> and <see cref="EqualizedConv2d"/>.</summary>
    internal sealed class PaddingState(int channels, int padding)
    {
        public int Channels { get; } = channels;

        public int Padding { get; } = padding;

        public (int Height, int Width) LastInputSize { get; private set; }

        public Tensor? External { get; set; }

        /// <summary><c>conv2d(pad(x), w, b)</c>; with no external padding exactly <c>conv2d(x, w, b, padding)</c>.</summary>
        public Tensor Convolve(Tensor input, Tensor weight, Tensor? bias)
        {
            if (input.dim() != 4 || input.shape[1] != Channels)
                throw new ArgumentException($"expected input [N, {Channels}, H, W], got [{string.Join(", ", input.shape)}]", nameof(input));
            int h = (int)input.shape[2], w = (int)input.shape[3];
            LastInputSize = (h, w);
            var external = External;
            if (external is null || Padding == 0)
                return ConvOps.Conv2d(input, weight, bias, padding: Padding);
            long[] s = external.shape;
            if (s.Length != 4 || (s[0] != 1 && s[0] != input.shape[0]) || s[1] != Channels || s[2] != h + 2 * Padding || s[3] != w + 2 * Padding)
                throw new ArgumentException(
                    $"ExternalPadding must be [N or 1, {Channels}, {h + 2 * Padding}, {w + 2 * Padding}] for input " +
                    $"[{string.Join(", ", input.shape)}], got [{string.Join(", ", s)}]");
            using var scope = NewDisposeScope();
            var padded = Pad(input, Padding, external); // [N, C, H + 2p, W + 2p]
            return ConvOps.Conv2d(padded, weight, bias).MoveToOuterDisposeScope();
        }
    }
}
