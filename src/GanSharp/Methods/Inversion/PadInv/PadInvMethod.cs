using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Methods.Inversion.Encoder;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.PadInv;

/// <summary>
/// PadInv as an <see cref="ITrainingMethod"/>: an encoder E predicts a latent code and padding values for the
/// generator's last padded convolutions (<see cref="PadInvEncoder"/>); G is frozen. Per step, on the real batch x:
/// <c>L_E = λ_pix‖x − G(E(x))‖² + λ_per·perceptual + λ_adv(−E[D(G(E(x)))]) + λ_reg‖E_latent(x) − w̄‖²</c> (means), then
/// <c>L_D = E[D(G(E(x)))] − E[D(x)] + γ/2·E[‖∇_x D(x)‖²]</c>, D starting from the GAN checkpoint's discriminator.
/// </summary>
/// <remarks>
/// Bai, Shen, Zhou, Chen, Lin, Yang, Zhang, Xu, "High-fidelity GAN Inversion with Padding Space", ECCV 2022. The
/// identity loss (faces only) is not implemented. Padding values use GanSharp's low-rank border parameterisation
/// (<see cref="PaddingBorder"/>) instead of the paper's convolutional padding branches.
/// </remarks>
public sealed class PadInvMethod : ITrainingMethod
{
    readonly IGenerator g;
    readonly IDiscriminator d;
    readonly IPerceptualFeatures? phi;
    readonly PadInvEncoder e;
    readonly OptimizerHelper eOpt, dOpt;
    readonly Device device;

    /// <summary>The checkpoint's method name.</summary>
    public const string MethodName = "padinv";

    /// <summary>Trains a new PadInv encoder against the frozen <paramref name="generator"/> and the (trained) <paramref name="discriminator"/>.</summary>
    public PadInvMethod(IGenerator generator, IDiscriminator discriminator, PadInvArchitecture architecture, PadInvOptions options, IPerceptualFeatures? perceptual, Device device, ulong seed)
    {
        g = generator ?? throw new ArgumentNullException(nameof(generator));
        d = discriminator ?? throw new ArgumentNullException(nameof(discriminator));
        Arch = architecture ?? throw new ArgumentNullException(nameof(architecture));
        Arch.CheckGenerator(g, "the PadInv encoder");
        Opts = options.Validate();
        phi = Opts.PerceptualWeight > 0 ? perceptual : null;
        this.device = device;
        e = new PadInvEncoder(Arch, seed);
        e.to(device);
        foreach (var p in g.Module.parameters()) p.requires_grad_(false);
        g.Module.eval();
        eOpt = optim.Adam(e.parameters(), lr: Opts.LearningRate);
        dOpt = optim.Adam(d.Module.parameters(), lr: Opts.DiscriminatorLearningRate, beta1: 0.0, beta2: 0.99);
    }

    /// <summary>The architecture.</summary>
    public PadInvArchitecture Arch { get; }

    /// <summary>The options.</summary>
    public PadInvOptions Opts { get; }

    /// <summary>The encoder being trained.</summary>
    public PadInvEncoder Encoder => e;

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public object Options => Opts;

    /// <inheritdoc />
    public object Architecture => Arch;

    /// <summary>The encoder and the discriminator (G does not change).</summary>
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["encoder"] = e, ["discriminator"] = d.Module };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["encoder"] = eOpt, ["discriminator"] = dOpt };

    /// <summary>The encoder's loss terms for real images <paramref name="x"/> (scalars with a graph into E) and G(E(x)).</summary>
    /// <param name="x">// [N, C, H, W]</param>
    /// <param name="noise">Fixed noise maps, or null.</param>
    public (IReadOnlyDictionary<string, Tensor> Terms, Tensor Reconstruction) EncoderLosses(Tensor x, IReadOnlyList<Tensor>? noise)
    {
        var (code, recon) = PadInvInversion.Reconstruct(g, e, x, noise);                                     // [N, ...], [N, C, H, W]
        var space = Arch.Encoder.LatentSpace;
        var centre = space == LatentSpace.Z ? zeros_like(code) : g.MeanLatent.detach().to(code.dtype, code.device).expand_as(code);
        var terms = new Dictionary<string, Tensor>
        {
            ["pixel"] = (recon - x).square().mean(),
            ["adversarial"] = -d.Score(recon).mean(),
            ["latent_reg"] = (code - centre).square().mean(),
        };
        var total = Opts.PixelWeight * terms["pixel"] + Opts.AdversarialWeight * terms["adversarial"] + Opts.LatentRegWeight * terms["latent_reg"];
        if (phi != null)
        {
            terms["perceptual"] = PerceptualLoss.Loss(phi, recon, x).mean();
            total = total + Opts.PerceptualWeight * terms["perceptual"];
        }
        terms["e_loss"] = total;
        return (terms, recon);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var x = batch.Images.to(device);
        var noise = GanInversion.MakeNoise(g, x.shape[0], ctx.Rng, device, optimise: false);
        g.Module.eval();
        e.train();
        d.Module.train();
        foreach (var p in d.Module.parameters()) p.requires_grad_(false);
        eOpt.zero_grad();
        var (terms, recon) = EncoderLosses(x, noise.Count > 0 ? noise : null);
        terms["e_loss"].backward();
        eOpt.step();
        foreach (var p in d.Module.parameters()) p.requires_grad_(true);

        dOpt.zero_grad();
        var real = x.detach().requires_grad_(true);
        var realScores = d.Score(real);                                                                   // [N]
        var fakeScores = d.Score(recon.detach());                                                         // [N]
        var r1 = Opts.R1Gamma > 0 ? Penalties.R1Penalty(realScores, real, Opts.R1Gamma) : zeros(1, device: device).sum();
        var dLoss = fakeScores.mean() - realScores.mean() + r1;
        dLoss.backward();
        dOpt.step();
        var scalars = terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>());
        scalars["d_loss"] = dLoss.item<float>();
        scalars["r1"] = r1.item<float>();
        return scalars;
    }

    /// <summary>G(E(G(z))) with the predicted padding: how well the encoder inverts generated images.</summary>
    public Tensor Sample(Tensor fixedInputs)
    {
        e.eval();
        using var _ = no_grad();
        var x = g.Generate(fixedInputs.to(device));
        return PadInvInversion.Reconstruct(g, e, x, null).Images;
    }

    /// <inheritdoc />
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) => g.SampleLatents(count, rng, device);

    /// <summary>Disposes the optimisers; the networks stay with their owners.</summary>
    public void Dispose()
    {
        eOpt.Dispose();
        dOpt.Dispose();
    }
}
