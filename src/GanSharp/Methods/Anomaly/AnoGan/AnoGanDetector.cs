using GanSharp.Checkpoints;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.AnoGan;

/// <summary>
/// AnoGAN: a DCGAN trained on normal images only (the existing <see cref="GanMethod"/>, non-saturating loss), scored by
/// a per-image latent search (<see cref="AnoGanScorer"/>).
/// </summary>
/// <remarks>Schlegl, Seeböck, Waldstein, Schmidt-Erfurth, Langs, "Unsupervised Anomaly Detection with Generative
/// Adversarial Networks to Guide Marker Discovery", IPMI 2017.</remarks>
public sealed class AnoGanDetector : IAnomalyDetector
{
    /// <inheritdoc />
    public string Name => "anogan";

    /// <inheritdoc />
    public string Paper => "Schlegl et al., IPMI 2017";

    /// <inheritdoc />
    public AnomalyTrainedModel Train(AnomalyTrainContext ctx)
    {
        var (arch, method) = ctx.CreateDcgan(AdversarialLoss.NonSaturating);
        var result = ctx.RunStage(method, ctx.Run, ctx.Training);
        var options = new AnoGanOptions(SearchSteps: ctx.Settings.SearchSteps);
        var scorer = new AnoGanScorer(method.GeneratorEma, method.Discriminator, options);
        return new AnomalyTrainedModel(scorer, CheckpointWriter.ToJson(arch), CheckpointWriter.ToJson(options),
            new Dictionary<string, nn.Module> { ["generator"] = method.GeneratorEma.Module, ["discriminator"] = method.Discriminator.Module },
            new[] { result });
    }

    /// <inheritdoc />
    public IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device)
    {
        var arch = model.ReadGanArchitecture();
        var g = model.Load("generator", arch.CreateGenerator().Module, device);
        var d = model.Load("discriminator", arch.CreateDiscriminator().Module, device);
        return new AnoGanScorer((IGenerator)g, (IDiscriminator)d, model.ReadScorerOptions<AnoGanOptions>());
    }
}
