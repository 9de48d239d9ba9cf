using GanSharp.Checkpoints;
using GanSharp.Models;
using GanSharp.Methods.Synthesis.Dcgan;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>EGBAD: one BiGAN training stage (<see cref="EgbadMethod"/>), one forward pass per image to score (<see cref="EgbadScorer"/>).</summary>
/// <remarks>Zenati et al., "Efficient GAN-Based Anomaly Detection", 2018.</remarks>
public sealed class EgbadDetector : IAnomalyDetector
{
    /// <inheritdoc />
    public string Name => "egbad";

    /// <inheritdoc />
    public string Paper => "Zenati et al., ICLR workshop 2018";

    /// <inheritdoc />
    public AnomalyTrainedModel Train(AnomalyTrainContext ctx)
    {
        var s = ctx.Settings;
        var config = ctx.DcganConfigFor("EGBAD");
        var options = new EgbadOptions(Score: s.EgbadScore, LearningRate: s.LearningRate ?? 2e-4, JointWidth: Math.Max(16, s.Width * 8));
        var method = new EgbadMethod(config, options, ctx.Device, s.Seed);
        var result = ctx.RunStage(method, ctx.Run, ctx.Training);
        return new AnomalyTrainedModel(new EgbadScorer(method.Generator, method.Encoder, method.Discriminator, options), config.ToJson(),
            CheckpointWriter.ToJson(options),
            new Dictionary<string, nn.Module> { ["generator"] = method.Generator, ["encoder"] = method.Encoder, ["discriminator"] = method.Discriminator },
            new[] { result });
    }

    /// <inheritdoc />
    public IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device)
    {
        var config = DcganConfig.FromJson(model.Info.Architecture);
        var options = model.ReadScorerOptions<EgbadOptions>().Validate();
        return new EgbadScorer(model.Load("generator", new DcganGenerator(config), device), model.Load("encoder", new DcganEncoder(config), device),
            model.Load("discriminator", new BiganDiscriminator(config, options.JointWidth), device), options);
    }
}
