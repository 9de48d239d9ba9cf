using GanSharp.Checkpoints;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>
/// f-AnoGAN: stage 1 trains a WGAN-GP on normal images (the existing <see cref="GanMethod"/>, layer-norm DCGAN
/// critic); stage 2 trains an encoder with G and D frozen (<see cref="FAnoGanEncoderMethod"/>); both through the one
/// <see cref="Training.Trainer"/>. Scoring is one forward pass (<see cref="FAnoGanScorer"/>).
/// </summary>
/// <remarks>Schlegl, Seeböck, Waldstein, Langs, Schmidt-Erfurth, "f-AnoGAN: Fast unsupervised anomaly detection with
/// generative adversarial networks", Medical Image Analysis 54, 2019.</remarks>
public sealed class FAnoGanDetector : IAnomalyDetector
{
    /// <inheritdoc />
    public string Name => "fanogan";

    /// <inheritdoc />
    public string Paper => "Schlegl et al., Medical Image Analysis 2019";

    /// <inheritdoc />
    public AnomalyTrainedModel Train(AnomalyTrainContext ctx)
    {
        var s = ctx.Settings;
        var (arch, gan) = ctx.CreateDcgan(AdversarialLoss.WganGp);
        var ganResult = ctx.RunStage(gan, ctx.Run, ctx.Training);

        var options = new FAnoGanOptions(s.FAnoGanVariant, LearningRate: s.LearningRate ?? 1e-4);
        var g = gan.GeneratorEma;
        var d = gan.Discriminator;
        var encoderConfig = EncoderConfig(arch);
        var encoderStage = new FAnoGanEncoderMethod(g, d, encoderConfig, options, ctx.Device, s.Seed + 1);
        var encoderResult = ctx.RunStage(encoderStage, ctx.StageRun("fanogan-encoder"),
            ctx.Training with { Steps = s.EncoderSteps ?? s.Steps, Seed = s.Seed + 1 });
        var scorer = new FAnoGanScorer(g, d, encoderStage.Encoder, options.Kappa);
        return new AnomalyTrainedModel(scorer, CheckpointWriter.ToJson(arch), CheckpointWriter.ToJson(options),
            new Dictionary<string, nn.Module> { ["generator"] = g.Module, ["discriminator"] = d.Module, ["encoder"] = encoderStage.Encoder },
            new[] { ganResult, encoderResult });
    }

    /// <inheritdoc />
    public IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device)
    {
        var arch = model.ReadGanArchitecture();
        var g = (IGenerator)model.Load("generator", arch.CreateGenerator().Module, device);
        var d = (IDiscriminator)model.Load("discriminator", arch.CreateDiscriminator().Module, device);
        var e = model.Load("encoder", new DcganEncoder(EncoderConfig(arch)), device);
        return new FAnoGanScorer(g, d, e, model.ReadScorerOptions<FAnoGanOptions>().Validate().Kappa);
    }

    /// <summary>The encoder has the critic's layer plan (layer norm, as the critic) and outputs the generator's z.</summary>
    static DcganConfig EncoderConfig(GanArchitecture arch) => DcganConfig.FromJson(arch.Config);
}
