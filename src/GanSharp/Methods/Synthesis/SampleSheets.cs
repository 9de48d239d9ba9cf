using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis;

/// <summary>
/// The sample sheets of any trained generator, as image batches ready for a grid: latent interpolation, truncation
/// sweep and (StyleGAN) style mixing. Every random draw comes from the caller's CPU <see cref="Generator"/>.
/// </summary>
public static class SampleSheets
{
    /// <summary>Rows of spherical interpolations between random latent pairs: <c>[rows·columns, C, H, W]</c>.</summary>
    public static Tensor Interpolate(IGenerator g, int rows, int columns, Generator rng, Device device, double truncation = 1.0)
    {
        var a = g.SampleLatents(rows, rng, device); // [R, Z]
        var b = g.SampleLatents(rows, rng, device);
        var t = linspace(0, 1, columns, device: device); // [T]
        var zs = Slerp(a.unsqueeze(1), b.unsqueeze(1), t.view(1, columns, 1)); // [R, T, Z]
        return g.Generate(zs.reshape(rows * columns, -1), truncation, g.SampleNoise(1, rng, device)); // one noise for the sheet
    }

    /// <summary>Spherical interpolation, the usual path between Gaussian latents (White 2016).</summary>
    public static Tensor Slerp(Tensor a, Tensor b, Tensor t)
    {
        var an = a / a.norm(-1, keepdim: true);
        var bn = b / b.norm(-1, keepdim: true);
        var omega = (an * bn).sum(-1, keepdim: true).clamp(-1 + 1e-7, 1 - 1e-7).acos();
        var so = omega.sin();
        return (((1 - t) * omega).sin() / so) * a + ((t * omega).sin() / so) * b;
    }

    /// <summary>
    /// The style-mixing sheet of Karras et al. 2019 (Fig. 3): a top row of column sources, a left column of row sources
    /// and in cell (r, c) the image whose first <paramref name="crossover"/> style inputs (the coarse, low-resolution
    /// ones) come from row source r and the rest from column source c; one fixed noise for all. The top-left cell is
    /// blank (−1, black). Returns <c>[(rows+1)·(columns+1), C, H, W]</c>.
    /// </summary>
    public static Tensor StyleMixing(IGenerator g, int rows, int columns, int crossover, Generator rng, Device device, double truncation = 1.0)
    {
        if (g.StyleCount < 2)
            throw new GanSharpException($"style mixing needs a generator with several style inputs (StyleGAN); this one has {g.StyleCount}");
        if (crossover < 0 || crossover > g.StyleCount)
            throw new GanSharpException($"--crossover {crossover}: must be in 0..{g.StyleCount}");
        var wCols = g.Truncate(g.Map(g.SampleLatents(columns, rng, device)), truncation); // [C, W]
        var wRows = g.Truncate(g.Map(g.SampleLatents(rows, rng, device)), truncation);    // [R, W]
        var noise = g.SampleNoise(1, rng, device);
        Tensor Plus(Tensor w) => w.unsqueeze(1).expand(-1, g.StyleCount, -1);              // [N, S, W]
        var colsImg = g.Synthesize(Plus(wCols), noise);                                      // [C, ...]
        var rowsImg = g.Synthesize(Plus(wRows), noise);                                      // [R, ...]
        var layer = arange(g.StyleCount, device: device).lt(crossover).view(1, 1, -1, 1);   // [1, 1, S, 1]
        var mixed = where(layer, Plus(wRows).unsqueeze(1), Plus(wCols).unsqueeze(0));        // [R, C, S, W]
        var cells = g.Synthesize(mixed.reshape(rows * columns, g.StyleCount, -1), noise)     // [R·C, ...]
            .reshape(new long[] { rows, columns }.Concat(colsImg.shape.Skip(1)).ToArray());
        var blank = full_like(colsImg[..1], -1.0);                                           // [1, ...]
        var top = cat(new[] { blank, colsImg }).unsqueeze(0);                                // [1, C+1, ...]
        var body = cat(new[] { rowsImg.unsqueeze(1), cells }, 1);                            // [R, C+1, ...]
        return cat(new[] { top, body }).flatten(0, 1);
    }

    /// <summary>Rows of one latent each, columns ψ from 1 down to 0: <c>[rows·columns, C, H, W]</c>.</summary>
    public static Tensor TruncationSweep(IGenerator g, int rows, int columns, Generator rng, Device device)
    {
        var w = g.Map(g.SampleLatents(rows, rng, device)); // [R, W]
        var list = new List<Tensor>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                list.Add(g.Truncate(w[r..(r + 1)], 1.0 - c / (double)(columns - 1)));
        return g.Synthesize(cat(list.ToArray()), g.SampleNoise(1, rng, device)); // one noise, so only ψ changes along a row
    }
}
