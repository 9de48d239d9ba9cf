using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Nn;

/// <summary>
/// The convolution entry point of GanSharp's own layers. With <see cref="ChannelPadding"/> on (the fast path, set by
/// <see cref="Platform.TorchRuntime.TryFastConvolutions"/>), a convolution whose channel counts oneDNN gets wrong on
/// this CPU is computed with zero channels added so that it falls in the class oneDNN gets right, then sliced back.
/// The result is the same function (the added weights and inputs are zeros and receive no gradient that is kept).
/// </summary>
/// <remarks>
/// Measured by <c>GanSharp.Bench onednn-channels</c> (bench/results/onednn-channels.md: 8×8 inputs, relative error
/// > 1e-3): with oneDNN on, plain conv2d is wrong in 148 of 320 cases (forward for input channels 24, 100, 129, 257;
/// input gradient for output channels 1, 3, 8, 24), channel-padded conv2d in 24 of 320, all of them stride-2 4×4
/// kernels whose padded input count is an odd multiple of 16 (112, 144, 272). GanSharp's padded layers are stride 1.
/// Channel padding is not a proof: every network is also checked end to end against float64 before the fast path is
/// used (<see cref="Platform.TorchRuntime.TryFastConvolutions"/>).
/// </remarks>
public static class ConvOps
{
    /// <summary>The channel multiple that oneDNN computes correctly here.</summary>
    public const int Multiple = 16;

    static volatile bool channelPadding;

    /// <summary>Whether convolutions are padded to the channel counts oneDNN computes correctly (the fast path).</summary>
    public static bool ChannelPadding { get => channelPadding; set => channelPadding = value; }

    /// <summary>Output channels after padding: the next multiple of 16.</summary>
    public static long PaddedOutputs(long outChannels) => (outChannels + Multiple - 1) / Multiple * Multiple;

    /// <summary>Input channels after padding: the next multiple of 16 (the input gradient is a convolution with them as outputs).</summary>
    public static long PaddedInputs(long inChannels) => PaddedOutputs(inChannels);

    /// <summary>
    /// <c>conv2d(x, w, b, stride, padding)</c> for x <c>[N, C_in, H, W]</c>, w <c>[C_out, C_in, k, k]</c>, b <c>[C_out]</c>;
    /// channel-padded on the fast path when the counts need it.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long stride = 1, long padding = 0)
    {
        long[] strides = { stride, stride }, pads = { padding, padding };
        long cout = weight.shape[0], cin = weight.shape[1];
        long pout = PaddedOutputs(cout), pin = PaddedInputs(cin);
        if (!ChannelPadding || input.dtype != ScalarType.Float32 || input.device_type != DeviceType.CPU)
            return F.conv2d(input, weight, bias, strides: strides, padding: pads);
        var y = pout == cout && pin == cin ? F.conv2d(input, weight, bias, strides: strides, padding: pads) : ChannelPadded(input, weight, bias, stride, padding);
        return Fault is { } fault ? fault(y) : y;
    }

    /// <summary>
    /// Fault injection, for the tests and the separation bench of the fast path's acceptance check only (never set in
    /// use): applied to the result of every fast-path convolution, it stands in for a wrong oneDNN kernel on a CPU whose
    /// kernels are right. Null: no fault.
    /// </summary>
    internal static Func<Tensor, Tensor>? Fault { get; set; }

    /// <summary>
    /// A stand-in for a wrong kernel, for <see cref="Fault"/>: the value of y is kept (or, with
    /// <paramref name="forward"/>, scaled by 1 ± f), and the gradient flowing back through y is scaled by 1 ± f, the sign
    /// alternating along the width (a kernel's errors follow its blocked width loop). Norm-wise it puts a relative error
    /// of about f into every input and weight gradient upstream of the convolution.
    /// </summary>
    internal static Func<Tensor, Tensor> ColumnFault(double f, bool forward = false) => y =>
    {
        var c = (arange(y.shape[^1], y.dtype, y.device) % 2 * 2 - 1) * f; // [W]: +f, −f, …
        return forward ? y * (1 + c) : y + c * (y - y.detach());
    };

    /// <summary>
    /// <c>conv2d</c> computed with input and output channels zero-padded to multiples of 16, then sliced back: the same
    /// function as <c>conv2d(x, w, b, stride, padding)</c> in any dtype (the fast path's form, exposed for its checks).
    /// </summary>
    public static Tensor ChannelPadded(Tensor input, Tensor weight, Tensor? bias, long stride = 1, long padding = 0)
    {
        using var scope = NewDisposeScope();
        long cout = weight.shape[0], cin = weight.shape[1];
        long pout = PaddedOutputs(cout), pin = PaddedInputs(cin);
        // Zero input channels meet zero weight columns; zero output rows are sliced off.
        var w = F.pad(weight, new long[] { 0, 0, 0, 0, 0, pin - cin, 0, pout - cout }); // [C_out', C_in', k, k]
        var x = pin == cin ? input : F.pad(input, new long[] { 0, 0, 0, 0, 0, pin - cin }); // [N, C_in', H, W]
        var b = bias is null ? null : F.pad(bias, new long[] { 0, pout - cout });          // [C_out']
        var y = F.conv2d(x, w, b, strides: new[] { stride, stride }, padding: new[] { padding, padding }); // [N, C_out', H', W']
        return (pout == cout ? y : y.narrow(1, 0, cout)).MoveToOuterDisposeScope();         // [N, C_out, H', W']
    }
}
