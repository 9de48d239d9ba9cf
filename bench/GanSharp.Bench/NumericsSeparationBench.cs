using System.Globalization;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Nn;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// Does the fast path's acceptance check separate wrong kernels from float32 rounding? For the networks GanSharp ships
/// (the bundled GAN checkpoints and fresh networks of the presets' architectures), the end-to-end check's tensors
/// (output, input gradients, every weight gradient; G, D and D's penalty double backward) on the safe path, on this
/// CPU's fast path, and on the fast path with an injected wrong kernel (<see cref="ConvOps.ColumnFault"/> in every
/// fast-path convolution: the gradient, or with <c>fwd</c> the value, off by ±f by column), measured norm-wise
/// (‖a − ref‖ / ‖ref‖, the acceptance measure) and max-wise (max |a − ref| / max |ref|, the former one).
/// </summary>
public static class NumericsSeparationBench
{
    sealed record Row(string Name, GanArchitecture Arch, string? Checkpoint);

    /// <summary>Options: <c>--seeds 2 --batch 8 --faults 1e-3,1e-2,4e-2 --assets assets --threads N --only NAME-PREFIX --list</c> (<c>--list</c>: every verifiable tensor over the bound on this CPU's fast path, to stderr).</summary>
    public static int Run(string[] argv)
    {
        var args = new BenchArgs(argv);
        args.ApplyThreads();
        TorchRuntime.EnsureInitialized();
        int seeds = args.Int("--seeds", 2), batch = args.Int("--batch", 8);
        var faults = args.List("--faults", "1e-3,1e-2,4e-2").Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        string assets = args.Get("--assets", "assets");
        string Ckpt(string name) => Path.Combine(assets, "checkpoints", name);
        GanArchitecture Fresh(string arch, int c, int size, AdversarialLoss loss, int width, int latent) =>
            GanArchitecture.Default(arch, new ImageShape(c, size, size), loss, width, latent);
        GanArchitecture FromCheckpoint(string path) => CheckpointReader.Open(path).Manifest.Architecture.Deserialize<GanArchitecture>(CheckpointManifest.JsonOptions)!;
        var rows = new List<Row>
        {
            new("dcgan-fashion, fresh", Fresh("dcgan", 1, 28, AdversarialLoss.NonSaturating, 32, 64), null),
            new("wgangp-fashion, fresh", Fresh("dcgan", 1, 28, AdversarialLoss.WganGp, 32, 64), null),
            new("stylegan-emoji, fresh", Fresh("stylegan", 3, 32, AdversarialLoss.NonSaturating, 128, 128), null),
            new("stylegan2-emoji, fresh", Fresh("stylegan2", 3, 32, AdversarialLoss.NonSaturating, 64, 128), null),
            new("stylegan-fashion, fresh", Fresh("stylegan", 1, 32, AdversarialLoss.NonSaturating, 128, 128), null),
        };
        foreach (var name in new[] { "dcgan-fashion", "stylegan-emoji", "stylegan2-emoji" })
            if (CheckpointLayout.Exists(Ckpt(name))) rows.Add(new($"{name}, bundled (trained)", FromCheckpoint(Ckpt(name)), Ckpt(name)));

        Console.WriteLine($"oneDNN {(LibTorchSwitches.MkldnnEnabled ? "on" : "off")} at start-up ({TorchRuntime.Report?.Decision}); batch {batch}, seeds 0–{seeds - 1}; " +
            $"errors ‖Δ‖/‖ref‖ per tensor over G, D and D's penalty double backward; bound {ModelNumerics.Bound:g}, verifiable where the safe path is within {ModelNumerics.VerifiableLimit:g}");
        Console.WriteLine();
        if (LibTorchSwitches.IsAvailable)
        {
            // The start-up probes of weight gradients, with oneDNN on and off, max-wise.
            bool was = LibTorchSwitches.MkldnnEnabled;
            LibTorchSwitches.MkldnnEnabled = true;
            var on = TorchRuntime.WeightGradientProbes();
            LibTorchSwitches.MkldnnEnabled = false;
            var off = TorchRuntime.WeightGradientProbes();
            LibTorchSwitches.MkldnnEnabled = was;
            Console.WriteLine("| start-up probe (float32 vs float64, max-wise) | oneDNN on | oneDNN off |");
            Console.WriteLine("|---|---|---|");
            for (int i = 0; i < on.Count; i++) Console.WriteLine($"| {on[i].Name} | {E(on[i].Error)} | {E(off[i].Error)} |");
            Console.WriteLine();
        }
        var header = "| network | tensors | safe path: worst (where) | safe, max-wise | unverifiable | fast path here | " +
            string.Join(" | ", faults.Select(f => $"wrong kernel, gradient ±{f:g2}")) + $" | wrong kernel, value ±{faults.Last():g2} |";
        Console.WriteLine(header);
        Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", header.Count(ch => ch == '|') - 1)));
        var only = args.Get("--only", "");
        foreach (var row in rows.Where(r => only.Length == 0 || r.Name.StartsWith(only, StringComparison.Ordinal)))
        {
            var clean = new List<Check>();
            var faulted = faults.Select(_ => new List<Check>()).ToArray();
            var forward = new List<Check>();
            for (int seed = 0; seed < seeds; seed++)
            {
                clean.Add(Tensors(row, batch, seed, null));
                if (!row.Arch.AllConvolutionsChannelPadded) continue; // DCGAN's convolutions are libtorch modules, not ConvOps: nothing to inject into
                for (int i = 0; i < faults.Length; i++) faulted[i].Add(Tensors(row, batch, seed, ConvOps.ColumnFault(faults[i])));
                forward.Add(Tensors(row, batch, seed, ConvOps.ColumnFault(faults.Last(), forward: true)));
            }
            var all = clean.SelectMany(c => c.All).ToList();
            var worstSafe = all.MaxBy(t => t.Safe)!;
            // Each cell: the worst verifiable tensor's error over the seeds, how many verifiable tensors exceed the bound, and the verdicts.
            static string Cell(List<Check> checks)
            {
                if (checks.Count == 0) return "n/a";
                var verifiable = checks.SelectMany(c => c.All).Where(t => t.Verifiable).ToList();
                int rejected = checks.Count(c => !c.Verdict.Passed);
                return $"{E(verifiable.Count == 0 ? double.NaN : verifiable.Max(t => t.Fast))}, {verifiable.Count(t => t.Fast > ModelNumerics.Bound)} over; " +
                    (rejected == 0 ? "accepted" : rejected == checks.Count ? "rejected" : $"rejected {rejected} of {checks.Count}");
            }
            if (args.Has("--list"))
                foreach (var t in all.Where(t => t.Verifiable && t.Fast > ModelNumerics.Bound).OrderByDescending(t => t.Fast))
                    Console.Error.WriteLine($"{row.Name}: fast path over the bound at {t.Where}: {E(t.Fast)} (max-wise {E(t.FastMax)}), safe {E(t.Safe)} (max-wise {E(t.SafeMax)})");
            Console.WriteLine($"| {row.Name} | {all.Count / seeds} | {E(worstSafe.Safe)} ({worstSafe.Where}) | {E(all.Max(t => t.SafeMax))} | " +
                $"{all.Count(t => !t.Verifiable) / (double)seeds:0.#} | {Cell(clean)} | {string.Join(" | ", faulted.Select(Cell))} | {Cell(forward)} |");
        }
        return 0;
    }

    /// <summary>One seed's acceptance check: its tensors and the verdict (the worst of G's, D's and the penalty's).</summary>
    sealed record Check(IReadOnlyList<TensorNumerics> All, NumericsComparison Verdict);

    static string E(double x) => !double.IsFinite(x) ? "NaN/Inf" : x.ToString("0.0e+0", CultureInfo.InvariantCulture);

    /// <summary>The check's tensors for one row and seed, G, D and penalty, with <paramref name="fault"/> in the fast path's convolutions.</summary>
    static Check Tensors(Row row, int batch, int seed, Func<Tensor, Tensor>? fault)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var g = row.Arch.CreateGenerator(); var g64 = row.Arch.CreateGenerator();
        var d = row.Arch.CreateDiscriminator(); var d64 = row.Arch.CreateDiscriminator();
        try
        {
            if (row.Checkpoint is { } path)
            {
                var reader = CheckpointReader.Open(path);
                reader.LoadModule(reader.Has(CheckpointFileKind.Module, "generator_ema") ? "generator_ema" : "generator", g.Module);
                reader.LoadModule("discriminator", d.Module);
            }
            g64.Module.load_state_dict(g.Module.state_dict()); g64.Module.to(float64);
            d64.Module.load_state_dict(d.Module.state_dict()); d64.Module.to(float64);
            var rng = new Generator((ulong)(1000 + seed));
            ConvOps.Fault = fault;
            var parts = new[]
            {
                Prefixed("G ", ModelNumerics.GeneratorTensors(g, g64, batch, rng)),
                Prefixed("D ", ModelNumerics.DiscriminatorTensors(d, d64, batch, rng, penalty: false)),
                Prefixed("D penalty ", ModelNumerics.DiscriminatorTensors(d, d64, batch, rng, penalty: true)),
            };
            return new Check(parts.SelectMany(p => p).ToList(), parts.Select(ModelNumerics.Verdict).Aggregate(ModelNumerics.Worst));
        }
        finally
        {
            ConvOps.Fault = null;
            foreach (var m in new[] { g.Module, g64.Module, d.Module, d64.Module }) m.Dispose();
        }
    }

    static IReadOnlyList<TensorNumerics> Prefixed(string prefix, IEnumerable<TensorNumerics> list) => list.Select(t => t with { Where = prefix + t.Where }).ToList();
}
