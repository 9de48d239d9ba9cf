using GanSharp.Nn;
using System.Text.Json;
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
        var s = ctx.Settings;
        var shape = new ImageShape(ctx.Normal.Channels, ctx.Normal.Height, ctx.Normal.Width);
        var arch = GanArchitecture.Default("dcgan", shape, AdversarialLoss.NonSaturating, s.Width, s.Latent);
        var method = CreateGan(arch, new GanOptions(AdversarialLoss.NonSaturating, LearningRate: s.LearningRate), ctx.Device, s.Seed);
        var result = ctx.RunStage(method, ctx.Run, ctx.Training);
        var options = new AnoGanOptions(SearchSteps: s.SearchSteps);
        var scorer = new AnoGanScorer(method.GeneratorEma, method.Discriminator, options);
        return new AnomalyTrainedModel(scorer, CheckpointWriter.ToJson(arch), CheckpointWriter.ToJson(options),
            new Dictionary<string, nn.Module> { ["generator"] = method.GeneratorEma.Module, ["discriminator"] = method.Discriminator.Module },
            new[] { result });
    }

    /// <inheritdoc />
    public IAnomalyScorer LoadScorer(OpenedAnomalyModel model, Device device)
    {
        var arch = ReadArchitecture(model);
        var g = model.Load("generator", arch.CreateGenerator().Module, device);
        var d = model.Load("discriminator", arch.CreateDiscriminator().Module, device);
        return new AnoGanScorer((IGenerator)g, (IDiscriminator)d, ReadOptions<AnoGanOptions>(model));
    }

    /// <summary>A <see cref="GanMethod"/> whose networks are initialised from <paramref name="seed"/> (not the global generator).</summary>
    internal static GanMethod CreateGan(GanArchitecture arch, GanOptions options, Device device, ulong seed)
    {
        var g = arch.CreateGenerator();
        var d = arch.CreateDiscriminator();
        DcganInit.Apply(seed, g.Module, d.Module);
        return new GanMethod(g, arch.CreateGenerator(), d, options, device, arch);
    }

    internal static GanArchitecture ReadArchitecture(OpenedAnomalyModel model) =>
        model.Info.Architecture.Deserialize<GanArchitecture>(CheckpointManifest.JsonOptions)
        ?? throw new GanSharpException($"anomaly model {model.Reader.Folder}: no GAN architecture");

    internal static T ReadOptions<T>(OpenedAnomalyModel model)
    {
        try
        {
            return model.Info.Scorer.Deserialize<T>(CheckpointManifest.JsonOptions)
                ?? throw new GanSharpException($"anomaly model {model.Reader.Folder}: no scorer options");
        }
        catch (JsonException e)
        {
            throw new GanSharpException($"anomaly model {model.Reader.Folder}: scorer options are not valid {typeof(T).Name} ({e.Message})", null, e);
        }
    }
}
