using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Nn;

/// <summary>The transforms of <see cref="DiffAugment"/>; combine with <c>|</c>.</summary>
[Flags]
public enum DiffAugmentPolicy
{
    /// <summary>No augmentation.</summary>
    None = 0,

    /// <summary>Random brightness (±0.5), saturation (×[0, 2]) and contrast (×[0.5, 1.5]) per image.</summary>
    Color = 1,

    /// <summary>Random translation by up to 1/8 of the side per image, zero (mid-gray) fill.</summary>
    Translation = 2,

    /// <summary>One random square of half the side per image set to zero (mid-gray).</summary>
    Cutout = 4,

    /// <summary>Colour, translation and cutout: the paper's recommended policy.</summary>
    All = Color | Translation | Cutout,
}

/// <summary>
/// Differentiable augmentation for data-efficient GAN training: the same random transforms are applied to real and
/// generated images before every discriminator evaluation (D and G steps alike), and gradients flow through them to
/// the generator. Images are <c>[N, C, H, W]</c> in [-1, 1]; every random draw comes from the given CPU stream and is
/// moved to the images' device, so a seed gives the same augmentation on every device.
/// </summary>
/// <remarks>Zhao, Liu, Lin, Zhu, Han, "Differentiable Augmentation for Data-Efficient GAN Training", NeurIPS 2020
/// (§3, Fig. 4: colour + translation + cutout; translation ratio 1/8, cutout ratio 1/2).</remarks>
public static class DiffAugment
{
    /// <summary>Translation shifts by up to this fraction of the side.</summary>
    public const double TranslationRatio = 0.125;

    /// <summary>Cutout squares have this fraction of the side.</summary>
    public const double CutoutRatio = 0.5;

    /// <summary>Parses a comma-separated policy (<c>color,translation,cutout</c>, <c>all</c> or <c>none</c>).</summary>
    public static DiffAugmentPolicy Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DiffAugmentPolicy.None;
        var policy = DiffAugmentPolicy.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            policy |= part.ToLowerInvariant() switch
            {
                "none" => DiffAugmentPolicy.None,
                "color" or "colour" => DiffAugmentPolicy.Color,
                "translation" => DiffAugmentPolicy.Translation,
                "cutout" => DiffAugmentPolicy.Cutout,
                "all" => DiffAugmentPolicy.All,
                _ => throw new GanSharpException($"augmentation '{part}': unknown transform", "use color, translation, cutout, all or none (comma-separated)"),
            };
        return policy;
    }

    /// <summary>The policy as <see cref="Parse"/> reads it back (e.g. <c>color,translation,cutout</c>; <c>none</c>).</summary>
    public static string Format(DiffAugmentPolicy policy)
    {
        var parts = new List<string>();
        if (policy.HasFlag(DiffAugmentPolicy.Color)) parts.Add("color");
        if (policy.HasFlag(DiffAugmentPolicy.Translation)) parts.Add("translation");
        if (policy.HasFlag(DiffAugmentPolicy.Cutout)) parts.Add("cutout");
        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }

    /// <summary>
    /// Applies <paramref name="policy"/> to <paramref name="x"/> <c>[N, C, H, W]</c> with draws from <paramref name="rng"/>.
    /// With <paramref name="probability"/> p below 1 each transform is applied to each image with probability p (ADA's
    /// gating, one Bernoulli draw per image and transform after the transform's own draws); p = 1 is the plain policy
    /// with the same random draws as before, p = 0 returns the images unchanged and draws nothing.
    /// </summary>
    public static Tensor Apply(Tensor x, DiffAugmentPolicy policy, Generator? rng, double probability = 1.0)
    {
        if (x.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", x.shape)}]", nameof(x));
        if (!(probability is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), "must be in [0, 1]");
        if (policy == DiffAugmentPolicy.None || probability == 0) return x.alias();
        using var scope = NewDisposeScope();
        Tensor Gated(Tensor input, Func<Tensor, Generator?, Tensor> transform)
        {
            var y = transform(input, rng);
            if (probability >= 1) return y;
            var apply = (rand(new long[] { input.shape[0], 1, 1, 1 }, generator: rng) < probability).to(input.device); // [N, 1, 1, 1]
            return where(apply, y, input); // gradients reach x through whichever branch each image took
        }
        if (policy.HasFlag(DiffAugmentPolicy.Color)) x = Gated(x, Color);
        if (policy.HasFlag(DiffAugmentPolicy.Translation)) x = Gated(x, Translate);
        if (policy.HasFlag(DiffAugmentPolicy.Cutout)) x = Gated(x, Cutout);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Per image: brightness + U(−0.5, 0.5); saturation × U(0, 2) around the channel mean; contrast × U(0.5, 1.5) around the image mean.</summary>
    public static Tensor Color(Tensor x, Generator? rng)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        Tensor Draw() => rand(new long[] { n, 1, 1, 1 }, dtype: x.dtype, generator: rng).to(x.device); // [N, 1, 1, 1]
        x = x + (Draw() - 0.5);
        var channelMean = x.mean(new long[] { 1 }, keepdim: true);                 // [N, 1, H, W]
        x = (x - channelMean) * (Draw() * 2) + channelMean;
        var imageMean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);             // [N, 1, 1, 1]
        x = (x - imageMean) * (Draw() + 0.5) + imageMean;
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Per image, an integer shift in [−s, s] on each axis (s = round(side / 8)); vacated pixels are 0.</summary>
    public static Tensor Translate(Tensor x, Generator? rng)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long sh = (long)(h * TranslationRatio + 0.5), sw = (long)(w * TranslationRatio + 0.5);
        var ty = randint(-sh, sh + 1, new long[] { n, 1, 1 }, generator: rng).to(x.device); // [N, 1, 1] rows
        var tx = randint(-sw, sw + 1, new long[] { n, 1, 1 }, generator: rng).to(x.device); // [N, 1, 1] columns
        // Output pixel (i, j) reads input (i − ty, j − tx) of the zero-padded image: a gather, so gradients flow to x.
        var rows = (arange(h, device: x.device).reshape(1, h, 1) - ty + 1).clamp(0, h + 1);  // [N, H, 1]
        var cols = (arange(w, device: x.device).reshape(1, 1, w) - tx + 1).clamp(0, w + 1);  // [N, 1, W]
        var padded = F.pad(x, new long[] { 1, 1, 1, 1 });                                     // [N, C, H + 2, W + 2]
        var flat = padded.flatten(2);                                                        // [N, C, (H + 2)(W + 2)]
        var index = (rows * (w + 2) + cols).flatten(1);                                      // [N, H·W]
        var gathered = flat.gather(2, index.unsqueeze(1).expand(-1, x.shape[1], -1));         // [N, C, H·W]
        return gathered.reshape(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Per image, one square of side round(side / 2) centred anywhere in the image is set to 0.</summary>
    public static Tensor Cutout(Tensor x, Generator? rng)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long ch = (long)(h * CutoutRatio + 0.5), cw = (long)(w * CutoutRatio + 0.5);
        var cy = randint(0, h + (1 - ch % 2), new long[] { n, 1, 1 }, generator: rng).to(x.device); // [N, 1, 1]
        var cx = randint(0, w + (1 - cw % 2), new long[] { n, 1, 1 }, generator: rng).to(x.device);
        var rows = arange(h, device: x.device).reshape(1, h, 1) - (cy - ch / 2);                      // [N, H, 1]
        var cols = arange(w, device: x.device).reshape(1, 1, w) - (cx - cw / 2);                      // [N, 1, W]
        var inside = rows.ge(0).logical_and(rows.lt(ch)).logical_and(cols.ge(0)).logical_and(cols.lt(cw)); // [N, H, W]
        var keep = inside.logical_not().unsqueeze(1).to(x.dtype);                                   // [N, 1, H, W]
        return (x * keep).MoveToOuterDisposeScope();
    }
}
