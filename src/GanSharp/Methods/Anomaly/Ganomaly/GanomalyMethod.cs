using GanSharp.Nn;
using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>
/// GANomaly training as one <see cref="ITrainingMethod"/> step: the DCGAN discriminator learns real vs x̂ with the
/// logistic loss; the encoder–decoder–encoder generator minimises w_adv·L_adv + w_con·L_con + w_enc·L_enc
/// (<see cref="GanomalyLosses"/>).
/// </summary>
/// <remarks>Akçay, Atapour-Abarghouei, Breckon, "GANomaly: Semi-Supervised Anomaly Detection via Adversarial Training", ACCV 2018.</remarks>
public sealed class GanomalyMethod : ITrainingMethod
{
    readonly GanomalyGenerator g;
    readonly DcganDiscriminator d;
    readonly OptimizerHelper optG, optD;
    readonly Device device;

    /// <summary>Builds the networks of <paramref name="config"/>, initialised from <paramref name="seed"/>, on <paramref name="device"/>.</summary>
    public GanomalyMethod(DcganConfig config, GanomalyOptions options, Device device, ulong seed)
    {
        Config = config.Validate();
        Opts = options.Validate();
        this.device = device;
        g = new GanomalyGenerator(config);
        d = new DcganDiscriminator(config);
        DcganInit.Apply(seed, g, d);
        g.to(device);
        d.to(device);
        optG = optim.Adam(g.parameters(), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: 0.999);
        optD = optim.Adam(d.parameters(), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: 0.999);
    }

    /// <summary>The architecture config.</summary>
    public DcganConfig Config { get; }

    /// <summary>The options.</summary>
    public GanomalyOptions Opts { get; }

    /// <summary>The generator (G_E, G_D, E).</summary>
    public GanomalyGenerator Generator => g;

    /// <summary>The discriminator.</summary>
    public DcganDiscriminator Discriminator => d;

    /// <inheritdoc />
    public string Name => "ganomaly";

    /// <inheritdoc />
    public object Options => Opts;

    /// <inheritdoc />
    public object Architecture => Config;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["generator"] = g, ["discriminator"] = d };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["generator"] = optG, ["discriminator"] = optD };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var x = batch.Images.to(device); // [N, C, H, W]
        g.train();
        d.train();

        optG.zero_grad();
        var (z, xhat, zhat) = g.Run(x);
        var realFeatures = d.ScoreWithFeatures(x).Features.detach();      // [N, F]
        var fakeFeatures = d.ScoreWithFeatures(xhat).Features;            // [N, F]
        var adv = GanomalyLosses.Adversarial(realFeatures, fakeFeatures);
        var con = GanomalyLosses.Contextual(x, xhat);
        var enc = GanomalyLosses.Encoder(z, zhat);
        var gLoss = GanomalyLosses.Generator(adv, con, enc, Opts);
        gLoss.backward();
        optG.step();

        optD.zero_grad();
        var dLoss = MinimaxLoss.Discriminator(d.Score(x), d.Score(xhat.detach()));
        dLoss.backward();
        optD.step();
        return new Dictionary<string, double>
        {
            ["g_loss"] = gLoss.item<float>(), ["d_loss"] = dLoss.item<float>(),
            ["l_adv"] = adv.item<float>(), ["l_con"] = con.item<float>(), ["l_enc"] = enc.item<float>(),
        };
    }

    /// <inheritdoc />
    public Tensor Sample(Tensor fixedInputs)
    {
        g.eval();
        using var _ = no_grad();
        return g.Decode(fixedInputs.to(device));
    }

    /// <inheritdoc />
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) =>
        randn(new long[] { count, Config.LatentSize }, generator: rng).to(device);

    /// <inheritdoc />
    public void Dispose()
    {
        optG.Dispose();
        optD.Dispose();
        g.Dispose();
        d.Dispose();
    }
}
