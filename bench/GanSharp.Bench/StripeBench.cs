using System.Globalization;
using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// The vertical stripe texture: <see cref="StripeStatistic"/> (column-to-row neighbour energy and horizontal-to-vertical
/// Nyquist power; 1 is isotropic) of real images and of generator samples, of their batch mean (the pattern every
/// sample shares), then per synthesis layer (<see cref="IGenerator.FeaturesAt"/>) with the noise inputs drawn and set to
/// zero; the kernels' gain at the two Nyquist frequencies; and the power spectra along W and along H against the real
/// images', so that where a direction-dependent texture enters shows.
/// </summary>
public static class StripeBench
{
    /// <summary>
    /// Options: <c>--generator CKPT</c> (repeatable; default the bundled stylegan-emoji and stylegan2-emoji),
    /// <c>--data SPEC</c> (emoji:google:train), <c>--samples N</c> (64), <c>--seed S</c> (0), <c>--threads T</c>,
    /// <c>--assets PATH</c>, <c>--png PREFIX</c> (also write 16 samples, their high-pass and the batch mean's high-pass
    /// per generator, 6–12× enlarged, and 16 real images).
    /// </summary>
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var report = TorchRuntime.EnsureInitialized();
        a.ApplyThreads();
        string assets = a.Get("--assets", "assets");
        var generators = a.All("--generator") is { Count: > 0 } given ? given
            : new[] { "stylegan-emoji", "stylegan2-emoji" }.Select(n => Path.Combine(assets, "checkpoints", n)).ToList();
        int samples = a.Int("--samples", 64), seed = a.Int("--seed", 0);
        string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        string Row(string what, Tensor x) => $"| {what} | {F3(StripeStatistic.ColumnToRowEnergy(x))} | {F3(StripeStatistic.NyquistRatio(x))} |";

        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; {samples} samples, seed {seed}");
        Console.WriteLine();
        Console.WriteLine("| images | column/row energy | Nyquist h/v |");
        Console.WriteLine("|---|---|---|");
        var loaded = generators.Select(p => (Name: Path.GetFileName(Path.TrimEndingDirectorySeparator(p)), G: GanCheckpoint.Open(p).LoadGenerator(CPU))).ToList();
        string data = a.Get("--data", "emoji:google:train");
        var first = loaded[0].G.Output;
        var real = DataLoader.LoadAll(DatasetResolver.Resolve(data, new DatasetResolveOptions(first.Height, ImageModes.FromChannels(first.Channels))).Spread(samples));
        Console.WriteLine(Row($"real {data} ({real.shape[0]})", real));
        Console.WriteLine(Row("real, batch mean", real.mean(new long[] { 0 })));
        var layerRows = new List<string>();
        var spectra = new List<(string Name, Tensor X)> { ("real", real) };
        foreach (var (name, g) in loaded)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            g.Module.eval();
            using var rng = new Generator((ulong)seed);
            var w = g.Map(randn(new long[] { samples, g.LatentSize }, generator: rng)); // [N, S]
            var noise = g is IStyleGenerator sg ? sg.MakeNoise(samples, rng) : null;
            var silent = noise?.Select(t => zeros_like(t)).ToList();
            var images = g.Synthesize(w, noise);
            Console.WriteLine(Row($"{name}", images));
            Console.WriteLine(Row($"{name}, batch mean", images.mean(new long[] { 0 })));
            spectra.Add((name, images.MoveToOuterDisposeScope()));
            if (a.Get("--png", "") is { Length: > 0 } png)
            {
                var few = images.narrow(0, 0, Math.Min(16, samples));
                var gray = few.mean(new long[] { 1 }, keepdim: true);
                var residual = gray - nn.functional.avg_pool2d(nn.functional.pad(gray, new long[] { 1, 1, 1, 1 }, PaddingModes.Replicate), 3, 1);
                var o = new GridOptions(Columns: 4, Scale: 6);
                SampleGrid.WritePng(few, $"{png}-{name}.png", o);
                SampleGrid.WritePng((residual * 8).clamp(-1, 1), $"{png}-{name}-highpass.png", o);
                var mean = images.mean(new long[] { 0, 1 }, keepdim: true); // [1, 1, H, W]: the pattern every sample shares
                var meanResidual = mean - nn.functional.avg_pool2d(nn.functional.pad(mean, new long[] { 1, 1, 1, 1 }, PaddingModes.Replicate), 3, 1);
                SampleGrid.WritePng((meanResidual * 16).clamp(-1, 1), $"{png}-{name}-mean-highpass.png", new GridOptions(Scale: 12));
                if (name == loaded[0].Name) SampleGrid.WritePng(real.narrow(0, 0, Math.Min(16, samples)), $"{png}-real.png", o);
            }
            if (silent is not null)
            {
                var quiet = g.Synthesize(w, silent);
                Console.WriteLine(Row($"{name}, noise 0", quiet));
                Console.WriteLine(Row($"{name}, noise 0, batch mean", quiet.mean(new long[] { 0 })));
            }
            for (int layer = 0; layer < g.LayerCount; layer++)
            {
                var f = g.FeaturesAt(layer, w, noise);
                string cells = $"| {name} | {layer} | {f.shape[^1]} | {F3(StripeStatistic.ColumnToRowEnergy(f))} | {F3(StripeStatistic.NyquistRatio(f))} | {F3(StripeStatistic.NyquistRatio(f.mean(new long[] { 0 })))} |";
                if (silent is not null)
                {
                    var f0 = g.FeaturesAt(layer, w, silent);
                    cells += $" {F3(StripeStatistic.ColumnToRowEnergy(f0))} | {F3(StripeStatistic.NyquistRatio(f0))} |";
                }
                layerRows.Add(cells);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| generator | layer | side | column/row energy | Nyquist h/v | batch-mean Nyquist h/v | column/row, noise 0 | Nyquist, noise 0 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        layerRows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| checkpoint | network | layer | kernel gain at horizontal Nyquist / vertical |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var path in generators)
        {
            var opened = GanCheckpoint.Open(path);
            foreach (var (net, module) in new[] { ("G", opened.LoadGenerator(CPU).Module), ("D", opened.LoadDiscriminator(CPU).Module) })
                foreach (var (layer, m) in module.named_modules())
                    if (m is GanSharp.Nn.EqualizedConv2d { KernelSize: 3 } conv)
                    {
                        using var _ = no_grad();
                        var k = conv.Weight.to(ScalarType.Float64); // [out, in, 3, 3]
                        var alt = tensor(new double[] { 1, -1, 1 }, ScalarType.Float64);
                        double h = (k * alt).sum(new long[] { 2, 3 }).square().sum().item<double>();              // response to columns alternating
                        double v = (k * alt.unsqueeze(-1)).sum(new long[] { 2, 3 }).square().sum().item<double>(); // to rows alternating
                        Console.WriteLine($"| {Path.GetFileName(path)} | {net} | {layer} | {F3(h / v)} |");
                    }
        }
        Console.WriteLine();
        Console.WriteLine("| frequency (cycles per side) | " + string.Join(" | ", spectra.Select(p => p.Name + " along W / along H")) + " |");
        Console.WriteLine("|---|" + string.Concat(spectra.Select(_ => "---|")));
        var ratios = spectra.Select(p => AxisSpectrum(p.X, -1) / AxisSpectrum(p.X, -2)).ToList();
        for (int k = 1; k < ratios[0].shape[0]; k++)
            Console.WriteLine($"| {k} | " + string.Join(" | ", ratios.Select(r => F3(r[k].item<double>()))) + " |");
        Console.WriteLine();
        Console.WriteLine("| frequency | " + string.Join(" | ", spectra.Skip(1).Select(p => p.Name + " / real along W | along H")) + " |");
        Console.WriteLine("|---|" + string.Concat(spectra.Skip(1).Select(_ => "---|---|")));
        var realW = AxisSpectrum(real, -1);
        var realH = AxisSpectrum(real, -2);
        var rel = spectra.Skip(1).Select(p => (W: AxisSpectrum(p.X, -1) / realW, H: AxisSpectrum(p.X, -2) / realH)).ToList();
        for (int k = 1; k < realW.shape[0]; k++)
            Console.WriteLine($"| {k} | " + string.Join(" | ", rel.Select(r => F3(r.W[k].item<double>()) + " | " + F3(r.H[k].item<double>()))) + " |");
        Console.WriteLine();
        Console.WriteLine("| images | power at 12–16 cycles along W / real's | along H / real's |");
        Console.WriteLine("|---|---|---|");
        var band = TensorIndex.Slice(12, null);
        foreach (var (label, x) in spectra.Skip(1))
            Console.WriteLine($"| {label} | {F3(AxisSpectrum(x, -1)[band].sum().item<double>() / realW[band].sum().item<double>())} | " +
                              $"{F3(AxisSpectrum(x, -2)[band].sum().item<double>() / realH[band].sum().item<double>())} |");
        return 0;
    }

    /// <summary>The power spectrum along one axis of x <c>[N, C, H, W]</c>, averaged over every other index: <c>[side / 2 + 1]</c>.</summary>
    static Tensor AxisSpectrum(Tensor x, long dim)
    {
        var d = x.to(ScalarType.Float64);
        d = d - d.mean(new[] { dim }, keepdim: true);
        var power = fft.rfft(d, dim: dim).abs().square(); // [.., side / 2 + 1 along dim]
        var others = Enumerable.Range(0, 4).Select(i => (long)i).Where(i => i != (dim + 4) % 4).ToArray();
        return power.mean(others);
    }
}
