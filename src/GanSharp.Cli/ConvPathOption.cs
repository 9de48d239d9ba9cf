using System.CommandLine;
using GanSharp.Platform;
using TorchSharp;

namespace GanSharp.Cli;

/// <summary><c>--conv fast|safe</c> of the training verbs: whether to try the verified fast convolution path.</summary>
public static class ConvPathOption
{
    /// <summary>Creates the option (default: <c>GANSHARP_CONV</c> if set, else <c>fast</c>).</summary>
    public static Option<string> Create()
    {
        var o = new Option<string>("--conv")
        {
            Description = "Convolutions on the CPU: fast (oneDNN with channel padding, kept only if the networks match float64) or safe (oneDNN off)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GANSHARP_CONV")?.Trim().ToLowerInvariant() is "safe" ? "safe" : "fast",
        };
        o.AcceptOnlyFromAmong("fast", "safe");
        return o;
    }

    /// <summary>On the CPU with <c>fast</c>, tries the fast path verified by <paramref name="verify"/>.</summary>
    public static void Apply(string? choice, torch.Device device, string what, Func<NumericsComparison> verify)
    {
        if (choice == "fast" && device.type == DeviceType.CPU) TorchRuntime.TryFastConvolutions(verify, what);
    }
}
