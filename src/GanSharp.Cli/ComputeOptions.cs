using System.CommandLine;
using GanSharp.Platform;
using TorchSharp;

namespace GanSharp.Cli;

/// <summary><c>--device auto|cpu|cuda</c> and <c>--threads N</c>, shared by every verb that computes.</summary>
public sealed class ComputeOptions
{
    /// <summary>The device option.</summary>
    public Option<string> Device { get; } = new("--device")
    {
        Description = "Where to compute: auto (CUDA when available), cpu, cuda or cuda:N",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The thread-count option.</summary>
    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "CPU threads for libtorch (0 = one per core)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>Adds both options to a command and returns them.</summary>
    public static ComputeOptions AddTo(Command command)
    {
        var o = new ComputeOptions();
        o.Device.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>()?.Trim().ToLowerInvariant();
            if (v is not ("auto" or "cpu" or "cuda") && !(v?.StartsWith("cuda:", StringComparison.Ordinal) ?? false))
                r.AddError($"--device {v}: expected auto, cpu, cuda or cuda:N");
        });
        o.Threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be 0 (default) or a positive number");
        });
        command.Options.Add(o.Device);
        command.Options.Add(o.Threads);
        return o;
    }

    /// <summary>Initialises TorchSharp (numerics check), applies the thread count and resolves the device.</summary>
    public torch.Device Apply(ParseResult parse)
    {
        TorchRuntime.EnsureInitialized();
        int threads = parse.GetValue(Threads);
        if (threads > Environment.ProcessorCount)
            GanSharp.Diagnostics.Log.Warn($"--threads {threads} is more than the {Environment.ProcessorCount} cores here: the threads will take turns on the cores and run slower, not faster (0 = one per core)");
        TorchRuntime.SetThreads(threads);
        return TorchRuntime.ResolveDevice(parse.GetValue(Device));
    }
}
