using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>One padded convolution whose padding PadInv predicts.</summary>
/// <param name="Hook">Index into <see cref="IGenerator.PaddingHooks"/>.</param>
/// <param name="Channels">The layer's input channels C.</param>
/// <param name="Padding">Its padding width.</param>
/// <param name="Side">The padded side length S = H + 2·padding.</param>
public sealed record PaddedLayer(int Hook, int Channels, int Padding, int Side);

/// <summary>
/// What rebuilds a PadInv encoder: the backbone (<see cref="EncoderArchitecture"/>, whose head outputs the code followed
/// by every layer's coefficients), the padded layers, R and L.
/// </summary>
/// <param name="Encoder">The backbone and code space.</param>
/// <param name="Layers">The padded layers, in synthesis order.</param>
/// <param name="Rank">R.</param>
/// <param name="SidePoints">L.</param>
public sealed record PadInvArchitecture(EncoderArchitecture Encoder, IReadOnlyList<PaddedLayer> Layers, int Rank, int SidePoints)
{
    /// <summary>Coefficients of one layer: R · 4 · L.</summary>
    public long CoefficientsPerLayer => (long)Rank * 4 * SidePoints;

    /// <summary>
    /// The architecture for <paramref name="g"/>: the last <see cref="PadInvOptions.Layers"/> padded convolutions (all of
    /// them if it has fewer). Refuses generators without padded convolutions (DCGAN).
    /// </summary>
    public static PadInvArchitecture For(IGenerator g, LatentSpace space, PadInvOptions options, string generator)
    {
        ArgumentNullException.ThrowIfNull(g);
        options.Validate();
        var hooks = g.PaddingHooks;
        if (hooks.Count == 0)
            throw new GanSharpException("PadInv needs a generator with padded convolutions (StyleGAN); this one has none (DCGAN's transposed convolutions have no input padding to replace)",
                "train a StyleGAN (gansharp train gan --preset stylegan-emoji) or use --method encoder");
        // One forward pass records every hook's input size.
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var w = g.MeanLatent.detach().unsqueeze(0);                                                        // [1, S]
            var noise = g.NoiseShapes.Select(s => zeros(new long[] { 1 }.Concat(s).ToArray(), device: w.device)).ToList();
            g.Synthesize(w, noise.Count > 0 ? noise : null);
        }
        int first = Math.Max(0, hooks.Count - options.Layers);
        var layers = new List<PaddedLayer>();
        for (int i = first; i < hooks.Count; i++)
        {
            var h = hooks[i];
            if (h.Padding < 1) continue;
            var (height, width) = h.LastInputSize;
            if (height != width) throw new GanSharpException($"PadInv: padded layer {i} has a non-square input {width}x{height}");
            layers.Add(new PaddedLayer(i, h.Channels, h.Padding, height + 2 * h.Padding));
        }
        if (layers.Count == 0) throw new GanSharpException("PadInv: the generator's last padded convolutions have zero padding");
        long extra = layers.Count * (long)options.Rank * 4 * options.SidePoints;
        return new PadInvArchitecture(EncoderArchitecture.For(g, space, options.Width, generator, extra), layers, options.Rank, options.SidePoints);
    }

    /// <summary>Refuses a generator whose shapes or padded layers differ from the ones the encoder was trained for.</summary>
    public void CheckGenerator(IGenerator g, string what)
    {
        Encoder.CheckGenerator(g, what);
        foreach (var l in Layers)
            if (l.Hook >= g.PaddingHooks.Count || g.PaddingHooks[l.Hook].Channels != l.Channels || g.PaddingHooks[l.Hook].Padding != l.Padding)
                throw new GanSharpException($"{what} was trained for a generator whose padded layer {l.Hook} has {l.Channels} channels and padding {l.Padding}; this generator differs",
                    $"use the generator it was trained against ({Encoder.Generator})");
    }
}
