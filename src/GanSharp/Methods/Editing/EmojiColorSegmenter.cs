using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Editing;

/// <summary>
/// Automatic segmentation of flat-colour images such as emoji into named colour/part concepts, by hue, saturation and
/// value of each pixel (HSV of the RGB image in [0, 1]). Every pixel gets exactly one concept; the rules are tried in
/// this order and the first that holds wins:
/// <list type="number">
/// <item><c>background</c>: near-white (S &lt; 0.15, V &gt; 0.85) and connected to the image border through near-white
/// pixels (the transparent surround of an emoji, which GanSharp composites on white);</item>
/// <item><c>dark</c>: V &lt; 0.3 inside the figure (eyes, mouths, outlines, hair);</item>
/// <item><c>white</c>: S &lt; 0.15 and V &gt; 0.85;</item>
/// <item><c>gray</c>: S &lt; 0.2 (the rest of the unsaturated pixels);</item>
/// <item><c>skin</c>: hue 15°–45°, S 0.2–0.6, V &gt; 0.6 (light skin tones, before the saturated yellows and oranges);</item>
/// <item><c>yellow</c>: hue 38°–70° (smiley faces, stars);</item>
/// <item><c>orange</c>: hue 15°–38°;</item>
/// <item><c>red</c>: hue below 15° or from 335°;</item>
/// <item><c>green</c>: hue 70°–170°;</item>
/// <item><c>blue</c>: hue 170°–255°;</item>
/// <item><c>purple</c>: hue 255°–335° (purples and pinks).</item>
/// </list>
/// </summary>
/// <remarks>Bau et al., "GAN Dissection", ICLR 2019, score units against a pretrained segmenter; none is available
/// offline, so for flat-colour images this rule-based one stands in (METHODS.md §4).</remarks>
public sealed class EmojiColorSegmenter : ISegmenter
{
    /// <summary>The concept names in mask-channel (and priority) order.</summary>
    public static readonly IReadOnlyList<string> ConceptNames =
        new[] { "background", "dark", "white", "gray", "skin", "yellow", "orange", "red", "green", "blue", "purple" };

    /// <inheritdoc />
    public string Name => "emoji-colour";

    /// <inheritdoc />
    public IReadOnlyList<string> Concepts => ConceptNames;

    /// <inheritdoc />
    public Tensor Segment(Tensor images, IReadOnlyList<int> sampleIndices, out bool[] known)
    {
        known = Enumerable.Repeat(true, (int)images.shape[0]).ToArray();
        return Segment(images);
    }

    /// <summary>One-hot masks <c>[N, 11, H, W]</c> for RGB (or gray) images <c>[N, C, H, W]</c> in [-1, 1].</summary>
    public static Tensor Segment(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"images must be [N, 1 or 3, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rgb = ((images.shape[1] == 1 ? images.expand(-1, 3, -1, -1) : images).to(float32).clamp(-1, 1) + 1) / 2; // [N, 3, H, W] in [0, 1]
        var (hue, sat, val) = Hsv(rgb);                                                                                 // [N, H, W] each
        Tensor Hue(double from, double to) => hue.ge(from).logical_and(hue.lt(to));
        var light = sat.lt(0.15).logical_and(val.gt(0.85));
        var rules = new[]
        {
            BorderConnected(light),
            val.lt(0.3),
            sat.lt(0.15).logical_and(val.gt(0.85)),
            sat.lt(0.2),
            Hue(15, 45).logical_and(sat.ge(0.2)).logical_and(sat.lt(0.6)).logical_and(val.gt(0.6)),
            Hue(38, 70),
            Hue(15, 38),
            hue.lt(15).logical_or(hue.ge(335)),
            Hue(70, 170),
            Hue(170, 255),
            Hue(255, 335),
        };
        var taken = zeros_like(val, dtype: ScalarType.Bool);
        var masks = new List<Tensor>();
        foreach (var rule in rules)
        {
            var m = rule.logical_and(taken.logical_not());
            taken = taken.logical_or(m);
            masks.Add(m);
        }
        return stack(masks, 1).to(float32).MoveToOuterDisposeScope(); // [N, K, H, W]
    }

    /// <summary>Hue in degrees [0, 360), saturation and value in [0, 1] of RGB <c>[N, 3, H, W]</c> in [0, 1].</summary>
    public static (Tensor Hue, Tensor Saturation, Tensor Value) Hsv(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var r = rgb[.., 0]; var g = rgb[.., 1]; var b = rgb[.., 2];        // [N, H, W]
        var max = rgb.amax(new long[] { 1 }); var min = rgb.amin(new long[] { 1 });
        var chroma = max - min;
        var safe = chroma.clamp_min(1e-8);
        var h = where(max.eq(r), ((g - b) / safe).remainder(6), where(max.eq(g), (b - r) / safe + 2, (r - g) / safe + 4)) * 60;
        h = where(chroma.gt(1e-8), h, zeros_like(h)).remainder(360);
        var s = where(max.gt(1e-8), chroma / max.clamp_min(1e-8), zeros_like(max));
        return (h.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope(), max.MoveToOuterDisposeScope());
    }

    /// <summary>The pixels of <paramref name="allowedMask"/> connected (8-neighbourhood) to the border within it: <c>[N, H, W]</c> bool.</summary>
    static Tensor BorderConnected(Tensor allowedMask)
    {
        var dark = allowedMask;
        using var scope = NewDisposeScope();
        long h = dark.shape[1], w = dark.shape[2];
        var border = ones(new long[] { h, w }, dtype: ScalarType.Bool, device: dark.device);
        border[1..^1, 1..^1] = false;
        var region = dark.logical_and(border).to(float32).unsqueeze(1); // [N, 1, H, W]
        var allowed = dark.to(float32).unsqueeze(1);
        for (long i = 0; i < h * w; i++)
        {
            var grown = F.max_pool2d(region, 3, stride: 1, padding: 1) * allowed;
            if (!grown.ne(region).any().item<bool>()) break;
            region = grown;
        }
        return region.squeeze(1).gt(0.5).MoveToOuterDisposeScope();
    }
}
