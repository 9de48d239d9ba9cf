using GanSharp.Nn;
using GanSharp.Data;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>
/// EGBAD training (a BiGAN) as one <see cref="ITrainingMethod"/> step: D learns real pairs (x, E(x)) against fake
/// pairs (G(z), z); G and E are updated together with the swapped labels (<see cref="EgbadLosses"/>).
/// </summary>
/// <remarks>Zenati, Foo, Lecouat, Manek, Chandrasekhar, "Efficient GAN-Based Anomaly Detection", ICLR workshop 2018;
/// Donahue, Krähenbühl, Darrell, "Adversarial Feature Learning", ICLR 2017.</remarks>
public sealed class EgbadMethod : ITrainingMethod
{
    readonly DcganGenerator g;
    readonly DcganEncoder e;
    readonly BiganDiscriminator d;
    readonly OptimizerHelper optGE, optD;
    readonly Device device;

    /// <summary>Builds the networks of <paramref name="config"/>, initialised from <paramref name="seed"/>, on <paramref name="device"/>.</summary>
    public EgbadMethod(DcganConfig config, EgbadOptions options, Device device, ulong seed)
    {
        Config = config.Validate();
        Opts = options.Validate();
        this.device = device;
        g = new DcganGenerator(config);
        e = new DcganEncoder(config);
        d = new BiganDiscriminator(config, Opts.JointWidth);
        DcganInit.Apply(seed, g, e, d);
        g.to(device); e.to(device); d.to(device);
        optGE = optim.Adam(g.parameters().Concat(e.parameters()), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: 0.999);
        optD = optim.Adam(d.parameters(), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: 0.999);
    }

    /// <summary>The image/latent config.</summary>
    public DcganConfig Config { get; }

    /// <summary>The options.</summary>
    public EgbadOptions Opts { get; }

    /// <summary>The generator.</summary>
    public DcganGenerator Generator => g;

    /// <summary>The encoder.</summary>
    public DcganEncoder Encoder => e;

    /// <summary>The pair discriminator.</summary>
    public BiganDiscriminator Discriminator => d;

    /// <inheritdoc />
    public string Name => "egbad";

    /// <inheritdoc />
    public object Options => Opts;

    /// <inheritdoc />
    public object Architecture => Config;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["generator"] = g, ["encoder"] = e, ["discriminator"] = d };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["generator_encoder"] = optGE, ["discriminator"] = optD };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var x = batch.Images.to(device);                                                // [N, C, H, W]
        var z = randn(new long[] { x.shape[0], Config.LatentSize }, generator: ctx.Rng).to(device); // [N, Z]
        g.train(); e.train(); d.train();

        optD.zero_grad();
        Tensor ex, gz;
        using (no_grad()) { ex = e.call(x); gz = g.call(z); }
        var dLoss = EgbadLosses.Discriminator(d.call(x, ex), d.call(gz, z));
        dLoss.backward();
        optD.step();

        optGE.zero_grad();
        var geLoss = EgbadLosses.GeneratorEncoder(d.call(x, e.call(x)), d.call(g.call(z), z));
        geLoss.backward();
        optGE.step();
        return new Dictionary<string, double> { ["d_loss"] = dLoss.item<float>(), ["g_loss"] = geLoss.item<float>() };
    }

    /// <inheritdoc />
    public Tensor Sample(Tensor fixedInputs)
    {
        g.eval();
        using var _ = no_grad();
        return g.call(fixedInputs.to(device));
    }

    /// <inheritdoc />
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) =>
        randn(new long[] { count, Config.LatentSize }, generator: rng).to(device);

    /// <inheritdoc />
    public void Dispose()
    {
        optGE.Dispose(); optD.Dispose();
        g.Dispose(); e.Dispose(); d.Dispose();
    }
}
