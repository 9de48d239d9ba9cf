using GanSharp.Checkpoints;
using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Models;
using System.Text.Json;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>What a PadInv inversion found.</summary>
/// <param name="Codes">The latent codes. // [N, ...CodeShape]</param>
/// <param name="Coefficients">Per padded layer. // [N, R, 4, L] each</param>
/// <param name="Reconstructions">G(code) with the predicted padding. // [N, C, H, W]</param>
/// <param name="Losses">Per-image pixel MSE to the input. // [N]</param>
public sealed record PadInvResult(Tensor Codes, IReadOnlyList<Tensor> Coefficients, Tensor Reconstructions, Tensor Losses);

/// <summary>Inversion and blending with a trained PadInv encoder (<see cref="PadInvMethod"/>).</summary>
public static class PadInvInversion
{
    /// <summary>Renders codes with given per-layer coefficients installed as padding. // [N, C, H, W]</summary>
    public static Tensor Render(IGenerator g, PadInvEncoder e, Tensor codes, IReadOnlyList<Tensor> coefficients, IReadOnlyList<Tensor>? noise = null)
    {
        var padding = e.Padding(coefficients);
        using var installed = PaddingBorder.Install(g, e.Arch.Layers.Select(l => l.Hook).ToList(), padding);
        return LatentCodes.Render(g, e.Arch.Encoder.LatentSpace, codes, noise);
    }

    /// <summary>E(x) → (code, G(code) with the predicted padding); differentiable into E.</summary>
    /// <param name="g">The generator.</param>
    /// <param name="e">The encoder.</param>
    /// <param name="x">// [N, C, H, W]</param>
    /// <param name="noise">Noise maps, or null for fresh noise.</param>
    public static (Tensor Code, Tensor Images) Reconstruct(IGenerator g, PadInvEncoder e, Tensor x, IReadOnlyList<Tensor>? noise)
    {
        var outputs = e.call(x);                                              // [N, outputs]
        var code = EncoderCodes.FromOutputs(g, e.Arch.Encoder, outputs);      // [N, ...]
        return (code, Render(g, e, code, e.Coefficients(outputs), noise));
    }

    /// <summary>Inverts every image (no graph), noise maps drawn per batch from <paramref name="seed"/>.</summary>
    public static PadInvResult Invert(IGenerator g, PadInvEncoder e, Tensor images, int batchSize = 16, ulong seed = 0)
    {
        e.Arch.CheckGenerator(g, "the PadInv encoder");
        GanInversion.CheckObservations(g, images, null);
        var device = g.MeanLatent.device;
        using var guard = new GeneratorGuard(g);
        using var rng = new Generator(seed);
        using var _ = no_grad();
        e.eval();
        var codes = new List<Tensor>();
        var coefficients = e.Arch.Layers.Select(_ => new List<Tensor>()).ToList();
        var recon = new List<Tensor>();
        for (long lo = 0; lo < images.shape[0]; lo += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = images[(int)lo..(int)Math.Min(images.shape[0], lo + batchSize)].to(float32, device);
            var noise = GanInversion.MakeNoise(g, x.shape[0], rng, device, optimise: false);
            var outputs = e.call(x);
            var code = EncoderCodes.FromOutputs(g, e.Arch.Encoder, outputs);
            var coeffs = e.Coefficients(outputs);
            recon.Add(Render(g, e, code, coeffs, noise.Count > 0 ? noise : null).MoveToOuterDisposeScope());
            codes.Add(code.MoveToOuterDisposeScope());
            for (int i = 0; i < coeffs.Count; i++) coefficients[i].Add(coeffs[i].contiguous().MoveToOuterDisposeScope());
        }
        var all = cat(recon);
        var losses = (all - images.to(float32, device)).square().flatten(1).mean(new long[] { 1 });
        return new PadInvResult(cat(codes), coefficients.Select(c => cat(c)).ToList(), all, losses);
    }

    /// <summary>
    /// Blends image A towards image B through the padding space: A's code with the coefficients
    /// <c>(1 − t)·p_A + t·p_B</c> for every t in <paramref name="weights"/> (t = 0 is A's reconstruction).
    /// </summary>
    /// <param name="g">The generator.</param>
    /// <param name="e">The encoder.</param>
    /// <param name="a">// [1, C, H, W]</param>
    /// <param name="b">// [1, C, H, W]</param>
    /// <param name="weights">The mixing weights t.</param>
    /// <param name="seed">Seed of the (shared) noise maps.</param>
    /// <returns>// [T, C, H, W]</returns>
    public static Tensor Blend(IGenerator g, PadInvEncoder e, Tensor a, Tensor b, IReadOnlyList<double> weights, ulong seed = 0)
    {
        var inv = Invert(g, e, cat(new[] { a, b }), 2, seed);
        var device = g.MeanLatent.device;
        using var guard = new GeneratorGuard(g);
        using var _ = no_grad();
        using var rng = new Generator(seed);
        var noise = GanInversion.MakeNoise(g, 1, rng, device, optimise: false);
        var images = new List<Tensor>();
        foreach (double t in weights)
        {
            var mixed = inv.Coefficients.Select(c => (1 - t) * c[..1] + t * c[1..2]).ToList(); // [1, R, 4, L] each
            images.Add(Render(g, e, inv.Codes[..1], mixed, noise.Count > 0 ? noise : null));
        }
        return cat(images);
    }

    /// <summary>Opens a PadInv checkpoint (<c>gansharp train padinv</c>) and rebuilds its encoder (eval mode, frozen) on <paramref name="device"/>.</summary>
    public static PadInvEncoder Load(string checkpoint, Device? device = null)
    {
        var point = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint);
        var reader = CheckpointReader.Open(point.CheckpointPath);
        if (reader.Manifest.Method != PadInvMethod.MethodName)
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not 'padinv'", "train one with gansharp train padinv");
        var arch = reader.Manifest.Architecture.Deserialize<PadInvArchitecture>(CheckpointManifest.JsonOptions)
            ?? throw new GanSharpException($"{checkpoint}: manifest has no architecture");
        var e = new PadInvEncoder(arch);
        reader.LoadModule("encoder", e, device);
        e.eval();
        foreach (var p in e.parameters()) p.requires_grad = false;
        return e;
    }
}
