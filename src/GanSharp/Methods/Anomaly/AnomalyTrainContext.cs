using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Models;
using GanSharp.Nn;
using GanSharp.Training;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>What a detector's training may use.</summary>
/// <param name="Normal">The normal training images (validation images already held out).</param>
/// <param name="Settings">The validated settings.</param>
/// <param name="Device">Where to train.</param>
/// <param name="Run">The run folder of the main training stage.</param>
/// <param name="StageRun">Creates the run folder of a further stage (by stage name), inside <paramref name="Run"/>.</param>
/// <param name="Training">The generic loop's options for the main stage (steps, batch, seed, intervals).</param>
/// <param name="Progress">Receives each stage's progress.</param>
/// <param name="Cancel">Cancels training (a checkpoint is saved).</param>
public sealed record AnomalyTrainContext(
    IImageDataset Normal,
    AnomalyTrainSettings Settings,
    Device Device,
    RunFolder Run,
    Func<string, RunFolder> StageRun,
    TrainingOptions Training,
    IProgress<TrainingProgress>? Progress,
    CancellationToken Cancel)
{
    /// <summary>
    /// The DCGAN-family config for the normal images at the settings' width and latent size (the networks of
    /// GANomaly and EGBAD); <paramref name="method"/> names the method in the error for non-square images.
    /// </summary>
    public Synthesis.Dcgan.DcganConfig DcganConfigFor(string method)
    {
        if (Normal.Width != Normal.Height) throw new GanSharpException($"{Normal.Name}: {method} here needs square images");
        return (Synthesis.Dcgan.DcganConfig.For(Normal.Height, Normal.Channels) with
        {
            GeneratorWidth = Settings.Width, DiscriminatorWidth = Settings.Width, LatentSize = Settings.Latent,
        }).Validate();
    }

    /// <summary>
    /// The DCGAN of the normal images at the settings' width, latent size and learning rate, trained with
    /// <paramref name="loss"/> (the GAN of AnoGAN and f-AnoGAN); its networks are initialised from the settings' seed,
    /// not the global generator.
    /// </summary>
    public (GanArchitecture Architecture, GanMethod Method) CreateDcgan(AdversarialLoss loss)
    {
        var arch = GanArchitecture.Default("dcgan", new ImageShape(Normal.Channels, Normal.Height, Normal.Width), loss, Settings.Width, Settings.Latent);
        var g = arch.CreateGenerator();
        var d = arch.CreateDiscriminator();
        DcganInit.Apply(Settings.Seed, g.Module, d.Module);
        return (arch, new GanMethod(g, arch.CreateGenerator(), d, new GanOptions(loss, LearningRate: Settings.LearningRate), Device, arch));
    }

    /// <summary>Runs <paramref name="method"/> through the one generic loop in <paramref name="run"/>; throws when cancelled.</summary>
    public TrainingResult RunStage(ITrainingMethod method, RunFolder run, TrainingOptions options)
    {
        var result = new Trainer(method, Normal, options, Device).Run(run, null, Progress, Cancel);
        if (!result.Completed) throw new OperationCanceledException($"{method.Name} training was cancelled at step {result.Step}");
        return result;
    }
}
