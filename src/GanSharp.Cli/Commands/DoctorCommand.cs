using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Platform;
using Spectre.Console;

namespace GanSharp.Cli.Commands;

/// <summary><c>gansharp doctor</c>: versions, devices, the native-load fix and the numerics check.</summary>
public static class DoctorCommand
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("doctor", "Show versions, devices, threads, the native-load fix and the numerics self-check");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        cmd.Options.Add(json);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            try { compute.Apply(parse); }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
            {
                // libtorch did not load: say which of its symbols or libraries are missing, read from the files.
                var symbols = NativeSymbolReport.CheckTorchSharp();
                throw new GanSharpException($"libtorch could not be loaded ({e.GetBaseException().Message})" + (symbols is null ? "" : $"; {symbols.Summary}"),
                    "point GANSHARP_LIBTORCH at a libtorch lib folder TorchSharp 0.107 works with (libtorch 2.10, or PyTorch 2.10/2.11's torch/lib), or use the bundled CPU libtorch");
            }
            var r = DoctorReport.Collect();
            if (parse.GetValue(json))
            {
                ctx.Output.WriteLine(JsonSerializer.Serialize(r, Json));
                return ExitCodes.Ok;
            }
            var t = new Table().Border(TableBorder.Rounded).AddColumn("item").AddColumn("value");
            foreach (var (k, v) in Rows(r)) t.AddRow(Markup.Escape(k), Markup.Escape(v));
            ctx.Console.Write(t);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The report as label/value rows (shared with the demo report).</summary>
    public static IEnumerable<(string, string)> Rows(DoctorReport r)
    {
        static string E(double e) => double.IsPositiveInfinity(e) ? "NaN/Inf" : e.ToString("0.0e+0", CultureInfo.InvariantCulture);
        yield return ("GanSharp", r.GanSharpVersion);
        yield return ("TorchSharp", r.TorchSharpVersion);
        yield return ("libtorch", r.LibTorchVersion + " (TorchSharp's build target)");
        yield return ("libtorch loaded", r.LibTorchLoaded ?? "unknown (no /proc/self/maps)");
        yield return ("OS", r.Os);
        yield return (".NET", r.Runtime);
        yield return ("cores", r.Cores.ToString(CultureInfo.InvariantCulture));
        yield return ("devices", string.Join(", ", r.Devices));
        foreach (var gpu in r.Gpus) yield return ("GPU", gpu);
        yield return ("threads", r.Threads.ToString(CultureInfo.InvariantCulture));
        yield return ("OpenMP wait policy", r.OpenMpWaitPolicy);
        yield return ("native-load fix", $"{r.NativeLoadFix.Status}: {r.NativeLoadFix.Detail}");
        if (r.LibTorchSymbols is { } sym) yield return ("libtorch symbols", (sym.Ok ? "" : "PROBLEM: ") + sym.Summary);
        yield return ("numerics: error with oneDNN", E(r.Numerics.ErrorWithMkldnn));
        yield return ("numerics: error now", E(r.Numerics.ErrorAfter));
        yield return ("oneDNN", r.Numerics.MkldnnEnabled ? "on" : "off");
        yield return ("numerics decision", r.Numerics.Decision);
    }
}
