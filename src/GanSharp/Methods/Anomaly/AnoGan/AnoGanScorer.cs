using GanSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.AnoGan;

/// <summary>
/// AnoGAN scoring: for each image, search the latent z that minimises <see cref="AnoGanLoss.Objective"/> with Adam,
/// from a random start; the score is the objective at the end and the map the residual
/// |x − G(z*)|. Images are searched together in one batch, but the objective is a sum of per-image terms and Adam
/// works per element, so each image's search is independent of the others. The start z₀ ~ N(0, I) of each image is
/// drawn from a seed hashed from its pixels, so it too does not depend on the batch (a fixed start such as z = 0 can
/// sit where every ReLU of the first layer is off and the gradient vanishes).
/// </summary>
/// <remarks>Schlegl et al. 2017 (IPMI), section 2.2.</remarks>
public sealed class AnoGanScorer : IAnomalyScorer
{
    readonly IGenerator g;
    readonly IDiscriminator d;

    /// <summary>Scores with generator <paramref name="generator"/> and the features of <paramref name="discriminator"/>.</summary>
    public AnoGanScorer(IGenerator generator, IDiscriminator discriminator, AnoGanOptions options)
    {
        if (generator.Output != discriminator.Input)
            throw new GanSharpException($"AnoGAN: generator output {generator.Output} does not match discriminator input {discriminator.Input}");
        g = generator;
        d = discriminator;
        Options = options.Validate();
    }

    /// <summary>The options.</summary>
    public AnoGanOptions Options { get; }

    /// <inheritdoc />
    public string Method => "anogan";

    /// <inheritdoc />
    public ImageShape Input => g.Output;

    /// <summary>
    /// Runs the latent search on <paramref name="images"/> <c>[N, C, H, W]</c> for <paramref name="steps"/> steps (default:
    /// the options'); returns the final z <c>[N, Z]</c>, the final per-image objective <c>[N]</c> and the mean objective
    /// before each step (for diagnostics and tests).
    /// </summary>
    public (Tensor Latents, Tensor Objective, IReadOnlyList<double> History) Search(Tensor images, int? steps = null)
    {
        g.Module.eval();
        d.Module.eval();
        using var frozen = new FrozenParameters(g.Module, d.Module);
        using var scope = NewDisposeScope();
        var x = images.detach();                                                   // [N, C, H, W]
        Tensor fx;
        using (no_grad()) fx = d.ScoreWithFeatures(x).Features;                    // [N, F]
        var start = StartLatents(x);                                               // [N, Z]
        var z = new Parameter(start.clone(), requires_grad: true);
        using var adam = optim.Adam(new[] { z }, lr: Options.SearchLearningRate);
        var history = new List<double>();
        Tensor Objective()
        {
            var gz = g.Generate(z);                                                // [N, C, H, W]
            return AnoGanLoss.Objective(x, gz, fx, d.ScoreWithFeatures(gz).Features, Options.Lambda); // [N]
        }
        for (int i = 0; i < (steps ?? Options.SearchSteps); i++)
        {
            using var step = NewDisposeScope();
            adam.zero_grad();
            var loss = Objective();
            history.Add(loss.mean().item<float>());
            loss.sum().backward();
            adam.step();
        }
        Tensor final;
        using (no_grad()) final = Objective();
        var latents = z.detach().clone();
        return (latents.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope(), history);
    }

    /// <summary>One z₀ ~ N(0, I) per image, from a seed that is a hash (FNV-1a) of the image's float32 pixels.</summary>
    Tensor StartLatents(Tensor images)
    {
        var pixels = images.detach().to(float32).cpu().contiguous().data<float>().ToArray();
        int n = (int)images.shape[0], size = pixels.Length / Math.Max(1, n);
        var rows = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            ulong hash = 14695981039346656037UL;
            for (int k = i * size; k < (i + 1) * size; k++)
            {
                hash ^= BitConverter.SingleToUInt32Bits(pixels[k]);
                hash *= 1099511628211UL;
            }
            using var rng = new torch.Generator(hash & 0x7FFF_FFFF_FFFF_FFFFUL);
            rows[i] = randn(new long[] { 1, g.LatentSize }, generator: rng);
        }
        return cat(rows, 0).to(images.device); // [N, Z]
    }

    /// <inheritdoc />
    public AnomalyScores Score(Tensor images, bool withMaps = false)
    {
        var (z, objective, _) = Search(images);
        using (z)
        {
            if (!withMaps) return new AnomalyScores(objective, null);
            using var _ = no_grad();
            var maps = AnomalyScoring.ResidualMap(images, g.Generate(z)); // [N, 1, H, W]
            return new AnomalyScores(objective, maps);
        }
    }
}
