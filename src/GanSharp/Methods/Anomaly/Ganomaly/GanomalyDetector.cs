using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Anomaly.AnoGan;
using GanSharp.Methods.Synthesis.Dcgan;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>GANomaly: one training stage (<see cref="GanomalyMethod"/>), one forward pass per image to score (<see cref="GanomalyScorer"/>).</summary>
/// <remarks>Akçay et al., ACCV 2018.</remarks>
public sealed class GanomalyDetector : IAnomalyDetector
{
    /// <inheritdoc />
    public string Name => "ganomaly";

    /// <inheritdoc />
    public string Paper => "Akçay et al., ACCV 2018";

    /// <inheritdoc />
    public AnomalyTrainedModel Train(AnomalyTrainContext ctx)
    {
        var s = ctx.Settings;
        var config = ctx.DcganConfigFor("GANomaly");
        var method = new GanomalyMethod(config, new GanomalyOptions(LearningRate: s.LearningRate ?? 2e-4), ctx.Device, s.Seed);
        var result = ctx.RunStage(method, ctx.Run, ctx.Training);
        return new AnomalyTrainedModel(new GanomalyScorer(method.Generator), config.ToJson(), CheckpointWriter.ToJson(method.Opts),
            new Dictionary<string, nn.Module> { ["generator"] = method.Generator }, new[] { result });
    }

    /// <inheritdoc />
    public IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device)
    {
        var config = DcganConfig.FromJson(model.Info.Architecture);
        return new GanomalyScorer(model.Load("generator", new GanomalyGenerator(config), device));
    }
}
