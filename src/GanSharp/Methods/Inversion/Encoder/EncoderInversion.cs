using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>
/// Inversion with a trained encoder: one forward pass, <c>c = E(x)</c> (<see cref="Invert"/>), or the hybrid method,
/// optimisation-based inversion (<see cref="GanInversion"/>) started at E(x) (<see cref="Hybrid"/>).
/// </summary>
/// <remarks>Zhu et al., ECCV 2016 §3 (encoder + optimisation); Zhu et al., ECCV 2020 (in-domain inversion: the encoder's code as the start).</remarks>
public static class EncoderInversion
{
    /// <summary>E(x) for every image, in batches of <paramref name="batchSize"/>, without a graph. // [N, ...CodeShape]</summary>
    public static Tensor Encode(IGenerator g, EncoderArchitecture arch, DcganEncoder encoder, Tensor images, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(g);
        arch.CheckGenerator(g, "the encoder");
        GanInversion.CheckObservations(g, images, null);
        var device = g.MeanLatent.device;
        using var _ = no_grad();
        bool training = encoder.training;
        encoder.eval();
        var parts = new List<Tensor>();
        for (long lo = 0; lo < images.shape[0]; lo += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = images[(int)lo..(int)Math.Min(images.shape[0], lo + batchSize)].to(float32, device);
            parts.Add(EncoderCodes.Predict(g, arch, encoder, x).MoveToOuterDisposeScope());
        }
        encoder.train(training);
        return cat(parts);
    }

    /// <summary>
    /// Encoder inversion: codes E(x) and their renderings, with the final losses of the same objective (and noise maps,
    /// drawn per batch from <see cref="InversionOptions.Seed"/>) that <see cref="GanInversion"/> would start from.
    /// The loss history is empty (no optimisation).
    /// </summary>
    public static InversionResult Invert(IGenerator g, EncoderArchitecture arch, DcganEncoder encoder, Tensor images, InversionOptions? options = null,
        IPerceptualFeatures? perceptual = null)
    {
        var o = (options ?? new InversionOptions()).Validate() with { Space = arch.LatentSpace };
        var codes = Encode(g, arch, encoder, images, o.BatchSize);
        long n = images.shape[0];
        var device = g.MeanLatent.device;
        using var guard = new GeneratorGuard(g);
        using var rng = new Generator(o.Seed);
        using var _ = no_grad();
        var recon = new List<Tensor>();
        var losses = new List<Tensor>();
        var noiseParts = g.NoiseShapes.Select(_ => new List<Tensor>()).ToList();
        for (long lo = 0; lo < n; lo += o.BatchSize)
        {
            using var scope = NewDisposeScope();
            int a = (int)lo, b = (int)Math.Min(n, lo + o.BatchSize);
            var noise = GanInversion.MakeNoise(g, b - a, rng, device, optimise: false);
            var code = codes[a..b];
            var images_ = LatentCodes.Render(g, o.Space, code, noise.Count > 0 ? noise : null);
            var objective = new InversionObjective(images[a..b].to(float32, device), null, perceptual, o.PerceptualWeight);
            var loss = objective.Loss(images_);
            if (o.LatentPriorWeight > 0) loss = loss + o.LatentPriorWeight * LatentCodes.Prior(g, o.Space, code);
            recon.Add(images_.MoveToOuterDisposeScope());
            losses.Add(loss.MoveToOuterDisposeScope());
            for (int i = 0; i < noise.Count; i++) noiseParts[i].Add(noise[i].MoveToOuterDisposeScope());
        }
        return new InversionResult(o.Space, codes, noiseParts.Select(p => cat(p)).ToList(), cat(recon), cat(losses), Array.Empty<double>());
    }

    /// <summary>
    /// The hybrid method: <see cref="GanInversion.Invert"/> in the encoder's space starting at E(x); its loss before the
    /// first step is the encoder inversion's loss (same objective, same noise).
    /// </summary>
    public static InversionResult Hybrid(IGenerator g, EncoderArchitecture arch, DcganEncoder encoder, Tensor images, InversionOptions? options = null,
        IPerceptualFeatures? perceptual = null, IProgress<InversionProgress>? progress = null, CancellationToken cancel = default)
    {
        var o = (options ?? new InversionOptions()).Validate() with { Space = arch.LatentSpace };
        var start = Encode(g, arch, encoder, images, o.BatchSize);
        return GanInversion.Invert(g, images, o, null, perceptual, start, progress, cancel);
    }
}
