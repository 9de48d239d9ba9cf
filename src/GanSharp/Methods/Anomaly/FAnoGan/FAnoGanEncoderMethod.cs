using GanSharp.Nn;
using GanSharp.Data;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>
/// f-AnoGAN's second stage as an <see cref="ITrainingMethod"/>: the generator and critic of a trained WGAN-GP are
/// frozen (eval mode, no gradients into their weights) and an encoder E is trained with the izi, ziz or izi_f loss.
/// </summary>
/// <remarks>Schlegl et al., Medical Image Analysis 2019, section 2.3.</remarks>
public sealed class FAnoGanEncoderMethod : ITrainingMethod
{
    readonly IGenerator g;
    readonly IDiscriminator d;
    readonly DcganEncoder e;
    readonly OptimizerHelper opt;
    readonly Device device;

    /// <summary>Trains a new encoder of <paramref name="config"/> (initialised from <paramref name="seed"/>) against the frozen <paramref name="generator"/> and <paramref name="discriminator"/>.</summary>
    public FAnoGanEncoderMethod(IGenerator generator, IDiscriminator discriminator, DcganConfig config, FAnoGanOptions options, Device device, ulong seed)
    {
        g = generator;
        d = discriminator;
        Config = config.Validate();
        if (config.LatentSize != g.LatentSize) throw new GanSharpException($"f-AnoGAN encoder latent {config.LatentSize} does not match the generator's {g.LatentSize}");
        Opts = options.Validate();
        this.device = device;
        e = new DcganEncoder(config);
        DcganInit.Apply(seed, e);
        e.to(device);
        foreach (var p in g.Module.parameters().Concat(d.Module.parameters())) p.requires_grad_(false);
        opt = optim.Adam(e.parameters(), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: Opts.Beta2);
    }

    /// <summary>The encoder config.</summary>
    public DcganConfig Config { get; }

    /// <summary>The options.</summary>
    public FAnoGanOptions Opts { get; }

    /// <summary>The encoder being trained.</summary>
    public DcganEncoder Encoder => e;

    /// <inheritdoc />
    public string Name => "fanogan-encoder";

    /// <inheritdoc />
    public object Options => Opts;

    /// <inheritdoc />
    public object Architecture => Config;

    /// <summary>Only the encoder: the generator and critic do not change in this stage.</summary>
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["encoder"] = e };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["encoder"] = opt };

    /// <summary>The loss of one batch for the configured variant (a scalar), without stepping.</summary>
    public Tensor Loss(Tensor images, torch.Generator rng)
    {
        if (Opts.Variant == FAnoGanVariant.Ziz)
        {
            var z = randn(new long[] { images.shape[0], g.LatentSize }, generator: rng).to(device); // [N, Z]
            return FAnoGanLosses.LatentResidual(z, e.call(g.Generate(z))).mean();
        }
        var xr = g.Generate(e.call(images));                                  // [N, C, H, W]
        var loss = FAnoGanLosses.ImageResidual(images, xr).mean();
        if (Opts.Variant == FAnoGanVariant.IziF)
        {
            var fx = d.ScoreWithFeatures(images).Features;                     // [N, F]
            var fr = d.ScoreWithFeatures(xr).Features;                         // [N, F]
            loss = loss + Opts.Kappa * FAnoGanLosses.FeatureResidual(fx, fr).mean();
        }
        return loss;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var x = batch.Images.to(device);
        g.Module.eval();
        d.Module.eval();
        e.train();
        opt.zero_grad();
        var loss = Loss(x, ctx.Rng);
        loss.backward();
        opt.step();
        return new Dictionary<string, double> { ["e_loss"] = loss.item<float>() };
    }

    /// <summary>G(E(G(z))): how well the encoder inverts generated images.</summary>
    public Tensor Sample(Tensor fixedInputs)
    {
        e.eval();
        using var _ = no_grad();
        return g.Generate(e.call(g.Generate(fixedInputs.to(device))));
    }

    /// <inheritdoc />
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) => g.SampleLatents(count, rng, device);

    /// <summary>Disposes the optimiser; the encoder and the frozen networks stay with their owners.</summary>
    public void Dispose() => opt.Dispose();
}
