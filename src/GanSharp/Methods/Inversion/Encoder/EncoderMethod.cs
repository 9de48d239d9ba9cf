using GanSharp.Data;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>
/// Encoder-based GAN inversion as an <see cref="ITrainingMethod"/>: an encoder E is trained against a frozen generator G
/// so that G(E(x)) ≈ x. Each step uses the real batch x and as many generated images G(c) whose code c is known:
/// <c>L = λ_pix (‖G(E(x)) − x‖² + ‖G(E(G(c))) − G(c)‖²) + λ_per (φ-distance of both) + λ_lat ‖E(G(c)) − c‖²</c>
/// (means over pixels / features / code values).
/// </summary>
/// <remarks>
/// Zhu, Krähenbühl, Shechtman, Efros, ECCV 2016 (an encoder as the initial guess of projection, trained on generated
/// pairs); Zhu, Shen, Zhao, Zhou, "In-Domain GAN Inversion for Real Image Editing", ECCV 2020 (pixel + perceptual
/// reconstruction of real images). The encoder is the DCGAN discriminator's layer plan (<see cref="DcganEncoder"/>) with
/// layer norm; its outputs are offsets from the space's centre (<see cref="EncoderCodes.Predict"/>). The hybrid method
/// starts optimisation-based inversion at E(x) (<see cref="EncoderInversion.Hybrid"/>).
/// </remarks>
public sealed class EncoderMethod : ITrainingMethod
{
    readonly IGenerator g;
    readonly IPerceptualFeatures? phi;
    readonly DcganEncoder e;
    readonly OptimizerHelper opt;
    readonly Device device;

    /// <summary>Trains a new encoder of <paramref name="architecture"/> (initialised from <paramref name="seed"/>) against the frozen <paramref name="generator"/>.</summary>
    public EncoderMethod(IGenerator generator, EncoderArchitecture architecture, EncoderOptions options, IPerceptualFeatures? perceptual, Device device, ulong seed)
    {
        g = generator ?? throw new ArgumentNullException(nameof(generator));
        Arch = architecture ?? throw new ArgumentNullException(nameof(architecture));
        Arch.CheckGenerator(g, "the encoder");
        Opts = options.Validate();
        phi = Opts.PerceptualWeight > 0 ? perceptual : null;
        this.device = device;
        e = Arch.CreateEncoder(seed);
        e.to(device);
        foreach (var p in g.Module.parameters()) p.requires_grad_(false);
        g.Module.eval();
        opt = optim.Adam(e.parameters(), lr: Opts.LearningRate, beta1: Opts.Beta1, beta2: Opts.Beta2);
    }

    /// <summary>The architecture.</summary>
    public EncoderArchitecture Arch { get; }

    /// <summary>The options.</summary>
    public EncoderOptions Opts { get; }

    /// <summary>The encoder being trained.</summary>
    public DcganEncoder Encoder => e;

    /// <summary>The checkpoint's method name.</summary>
    public const string MethodName = "encoder";

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public object Options => Opts;

    /// <inheritdoc />
    public object Architecture => Arch;

    /// <summary>Only the encoder: the generator does not change.</summary>
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module> { ["encoder"] = e };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["encoder"] = opt };

    /// <summary>The loss terms of one batch of real images (scalars with a graph into E), without stepping.</summary>
    /// <param name="real">// [N, C, H, W] in [-1, 1]</param>
    /// <param name="rng">Draws the generated images' codes and noise.</param>
    public IReadOnlyDictionary<string, Tensor> Losses(Tensor real, torch.Generator rng)
    {
        long n = real.shape[0];
        var space = Arch.LatentSpace;
        var noise = GanInversion.MakeNoise(g, n, rng, device, optimise: false);
        var fixedNoise = noise.Count > 0 ? noise : null;
        Tensor code, fake;
        using (no_grad())
        {
            code = EncoderCodes.OfLatents(g, space, randn(new long[] { n, g.LatentSize }, generator: rng).to(device)); // [N, ...]
            fake = LatentCodes.Render(g, space, code, fixedNoise);                                                           // [N, C, H, W]
        }
        var both = cat(new[] { real, fake });                                                     // [2N, C, H, W]
        var predicted = EncoderCodes.Predict(g, Arch, e, both);                                   // [2N, ...]
        var bothNoise = fixedNoise?.Select(t => cat(new[] { t, t })).ToList();
        var recon = LatentCodes.Render(g, space, predicted, bothNoise);                           // [2N, C, H, W]
        var terms = new Dictionary<string, Tensor>
        {
            ["pixel_real"] = (recon[..(int)n] - real).square().mean(),
            ["pixel_fake"] = (recon[(int)n..] - fake).square().mean(),
            ["latent"] = (predicted[(int)n..] - code).square().mean(),
        };
        if (phi != null) terms["perceptual"] = PerceptualLoss.Loss(phi, recon, both).mean();
        var total = Opts.PixelWeight * (terms["pixel_real"] + terms["pixel_fake"]) + Opts.LatentWeight * terms["latent"];
        if (phi != null) total = total + Opts.PerceptualWeight * terms["perceptual"];
        terms["e_loss"] = total;
        return terms;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        g.Module.eval();
        e.train();
        opt.zero_grad();
        var terms = Losses(batch.Images.to(device), ctx.Rng);
        terms["e_loss"].backward();
        opt.step();
        return terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>());
    }

    /// <summary>G(E(G(z))): how well the encoder inverts generated images.</summary>
    public Tensor Sample(Tensor fixedInputs)
    {
        e.eval();
        using var _ = no_grad();
        var space = Arch.LatentSpace;
        var x = LatentCodes.Render(g, space, EncoderCodes.OfLatents(g, space, fixedInputs.to(device)));
        return LatentCodes.Render(g, space, EncoderCodes.Predict(g, Arch, e, x));
    }

    /// <inheritdoc />
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) => g.SampleLatents(count, rng, device);

    /// <summary>Disposes the optimiser; the encoder and the frozen generator stay with their owners.</summary>
    public void Dispose() => opt.Dispose();
}
