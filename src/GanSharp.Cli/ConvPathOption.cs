using System.CommandLine;
using GanSharp.Platform;
using TorchSharp;

namespace GanSharp.Cli;

/// <summary>
/// <c>--conv auto|fast|safe</c> of the training verbs: whether to try the verified fast convolution path. <c>auto</c>
/// tries it only for architectures whose every convolution goes through GanSharp's channel-padded form (StyleGAN);
/// <c>fast</c> tries it for any (the float64 check still decides); <c>safe</c> never.
/// </summary>
public static class ConvPathOption
{
    /// <summary>Creates the option (default: <c>GANSHARP_CONV</c> if set, else <c>auto</c>).</summary>
    public static Option<string> Create()
    {
        var o = new Option<string>("--conv")
        {
            Description = "Convolutions on the CPU: fast (oneDNN with channel padding, kept only if the networks match float64), " +
                "safe (oneDNN off) or auto (fast where every convolution is channel-padded: StyleGAN; elsewhere oneDNN stays on only where the networks match float64). " +
                "Verdicts are remembered per CPU model in the user cache",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GANSHARP_CONV")?.Trim().ToLowerInvariant() is ("safe" or "fast" or "auto") and var v
                ? v : "auto",
        };
        o.AcceptOnlyFromAmong("auto", "fast", "safe");
        return o;
    }

    /// <summary>
    /// On the CPU: <c>safe</c> switches oneDNN off; <c>fast</c> tries the fast path verified by
    /// <paramref name="verify"/>; <c>auto</c> tries it when <paramref name="allPadded"/> (every convolution of the
    /// networks is channel-padded), and otherwise still checks the networks where the start-up probes kept oneDNN on
    /// (a rejection switches it off). <paramref name="network"/> (architecture config and batch) keys the remembered verdict.
    /// </summary>
    public static void Apply(string? choice, torch.Device device, bool allPadded, string what, string network, Func<NumericsComparison> verify)
    {
        if (device.type != DeviceType.CPU) return;
        if (choice == "safe") { TorchRuntime.UseSafePath("--conv safe"); return; }
        if (choice == "fast" || allPadded) TorchRuntime.TryFastConvolutions(verify, what, network);
        else TorchRuntime.VerifyOneDnn(verify, what, network);
    }
}
