using GanSharp.Data;
using DataLoader = GanSharp.Data.DataLoader;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>A translator that also shows where it attends: the generator's CAM heat map.</summary>
public interface IAttentionTranslator : ITranslator
{
    /// <summary>
    /// Translates <paramref name="images"/> <c>[N, C, H, W]</c> in [-1, 1] in <paramref name="direction"/> and returns the
    /// translations <c>[N, C, H, W]</c> with the generator's CAM heat maps <c>[N, 1, H/4, W/4]</c> (raw, ≥ 0). No gradients, eval mode.
    /// </summary>
    (Tensor Images, Tensor HeatMaps) TranslateWithAttention(Tensor images, TranslationDirection direction);
}

/// <summary>
/// U-GAT-IT (light variant): two generators G_AB, G_BA (<see cref="UGatItGenerator"/>) and, per domain, a global and a
/// local discriminator (<see cref="UGatItDiscriminator"/>) that each return patch scores and CAM logits. One
/// <see cref="TrainStep"/> takes domain A's batch and, as its <see cref="Batch.Partner"/>, domain B's (train it with
/// <see cref="Trainer(ITrainingMethod, UnpairedDataset, TrainingOptions, Device)"/>); it updates the four discriminators
/// (one Adam) on least-squares terms over their scores and CAM logits, then both generators (one Adam) on the
/// adversarial (1), cycle (10), identity (10) and CAM (1000) terms, and clips every ρ to [0, 1].
/// </summary>
/// <remarks>Kim, Kim, Kang, Lee, "U-GAT-IT: Unsupervised Generative Attentional Networks with Adaptive Layer-Instance
/// Normalization for Image-to-Image Translation", ICLR 2020. Only the light model is implemented.</remarks>
public sealed class UGatItMethod : UnpairedTranslationMethod, IAttentionTranslator
{
    /// <summary>The method name in checkpoints.</summary>
    public const string MethodName = "ugatit";

    readonly UGatItGenerator gAB, gBA;
    readonly UGatItDiscriminator dGA, dLA, dGB, dLB;
    readonly UGatItOptions o;

    /// <summary>Builds fresh networks on <paramref name="device"/> and their optimisers.</summary>
    /// <param name="config">The architecture.</param>
    /// <param name="options">Training options.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="sampleSource">The two domains whose fixed real images fill the sample grids (needed by <see cref="UnpairedTranslationMethod.FixedSampleInputs"/>).</param>
    /// <param name="seed">Seed of the weight initialisation; null uses the global stream.</param>
    public UGatItMethod(UGatItConfig config, UGatItOptions options, Device device, UnpairedDataset? sampleSource = null, ulong? seed = null)
        : base("U-GAT-IT", config.Validate().Image, device, sampleSource)
    {
        Config = config;
        o = options.Validate();
        using var init = seed is ulong s ? new torch.Generator(s) : null; // on the CPU, where the networks are built
        gAB = new UGatItGenerator(config, "g_ab", init);
        gBA = new UGatItGenerator(config, "g_ba", init);
        dGA = new UGatItDiscriminator(config, config.GlobalLayers, "d_global_a", init);
        dGB = new UGatItDiscriminator(config, config.GlobalLayers, "d_global_b", init);
        dLA = new UGatItDiscriminator(config, config.LocalLayers, "d_local_a", init);
        dLB = new UGatItDiscriminator(config, config.LocalLayers, "d_local_b", init);
        foreach (var m in AllNetworks) m.to(device);
        GeneratorOptimizer = optim.Adam(gAB.parameters().Concat(gBA.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2, weight_decay: o.WeightDecay);
        DiscriminatorOptimizer = optim.Adam(new[] { dGA, dGB, dLA, dLB }.SelectMany(d => d.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2, weight_decay: o.WeightDecay);
    }

    nn.Module[] AllNetworks => new nn.Module[] { gAB, gBA, dGA, dGB, dLA, dLB };

    /// <summary>The architecture.</summary>
    public UGatItConfig Config { get; }

    /// <summary>G_AB: A → B.</summary>
    public UGatItGenerator GeneratorAB => gAB;

    /// <summary>G_BA: B → A.</summary>
    public UGatItGenerator GeneratorBA => gBA;

    /// <summary>The global discriminator of domain A.</summary>
    public UGatItDiscriminator GlobalDiscriminatorA => dGA;

    /// <summary>The local discriminator of domain A.</summary>
    public UGatItDiscriminator LocalDiscriminatorA => dLA;

    /// <summary>The global discriminator of domain B.</summary>
    public UGatItDiscriminator GlobalDiscriminatorB => dGB;

    /// <summary>The local discriminator of domain B.</summary>
    public UGatItDiscriminator LocalDiscriminatorB => dLB;

    /// <inheritdoc />
    public override string Name => MethodName;

    /// <inheritdoc />
    public override object Options => o;

    /// <inheritdoc />
    public override object Architecture => Config;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module>
    {
        ["g_ab"] = gAB, ["g_ba"] = gBA, ["d_global_a"] = dGA, ["d_global_b"] = dGB, ["d_local_a"] = dLA, ["d_local_b"] = dLB,
    };

    /// <summary>Least-squares adversarial term of one discriminator pair (scores and CAM logits) for the generator.</summary>
    static Tensor GeneratorAdversarial(UGatItDiscriminator global, UGatItDiscriminator local, Tensor fake)
    {
        var (gs, gc) = global.call(fake);
        var (ls, lc) = local.call(fake);
        return UGatItLosses.GeneratorAdversarial(gs) + UGatItLosses.GeneratorAdversarial(gc) + UGatItLosses.GeneratorAdversarial(ls) + UGatItLosses.GeneratorAdversarial(lc);
    }

    /// <summary>
    /// Least-squares loss of one discriminator pair (scores and CAM logits) on reals and (detached) fakes. Each
    /// discriminator sees reals and fakes in one batch: a second call would advance its spectral norms' power iteration
    /// in place while the first call's graph still needs the old vectors.
    /// </summary>
    static Tensor DiscriminatorAdversarial(UGatItDiscriminator global, UGatItDiscriminator local, Tensor real, Tensor fake)
    {
        long n = real.shape[0];
        var both = cat(new[] { real, fake }, 0);    // [2N, C, H, W]
        var (gs, gc) = global.call(both);
        var (ls, lc) = local.call(both);
        Tensor Loss(Tensor t) => UGatItLosses.DiscriminatorAdversarial(t.narrow(0, 0, n), t.narrow(0, n, t.shape[0] - n));
        return Loss(gs) + Loss(gc) + Loss(ls) + Loss(lc);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var (realA, realB) = DomainImages(batch); // [N, C, H, W] each
        var optG = GeneratorOptimizer;
        var optD = DiscriminatorOptimizer;

        // Discriminators first, on fresh fakes (as the paper's code).
        optD.zero_grad();
        Tensor fakeBd, fakeAd;
        using (no_grad())
        {
            fakeBd = gAB.call(realA).Output; // [N, C, H, W]
            fakeAd = gBA.call(realB).Output; // [N, C, H, W]
        }
        var lossDA = o.AdversarialWeight * DiscriminatorAdversarial(dGA, dLA, realA, fakeAd);
        var lossDB = o.AdversarialWeight * DiscriminatorAdversarial(dGB, dLB, realB, fakeBd);
        var dLoss = lossDA + lossDB;
        dLoss.backward();
        optD.step();

        // Generators (the discriminators are constants here).
        SetRequiresGrad(false, dGA, dGB, dLA, dLB);
        optG.zero_grad();
        var (fakeB, camAB, _) = gAB.call(realA); // [N, C, H, W], [N, 2]: G_AB's CAM on its source domain
        var (fakeA, camBA, _) = gBA.call(realB);
        var recA = gBA.call(fakeB).Output;
        var recB = gAB.call(fakeA).Output;
        var (idtA, camAA, _) = gBA.call(realA);  // G_BA on its target domain (the identity path)
        var (idtB, camBB, _) = gAB.call(realB);
        var advA = GeneratorAdversarial(dGA, dLA, fakeA);
        var advB = GeneratorAdversarial(dGB, dLB, fakeB);
        var cycA = UGatItLosses.L1(recA, realA);
        var cycB = UGatItLosses.L1(recB, realB);
        var idA = UGatItLosses.L1(idtA, realA);
        var idB = UGatItLosses.L1(idtB, realB);
        var camA = UGatItLosses.GeneratorCam(camBA, camAA); // G_BA: 1 for B images, 0 for A images
        var camB = UGatItLosses.GeneratorCam(camAB, camBB); // G_AB: 1 for A images, 0 for B images
        var gLoss = o.AdversarialWeight * (advA + advB) + o.CycleWeight * (cycA + cycB) + o.IdentityWeight * (idA + idB) + o.CamWeight * (camA + camB);
        gLoss.backward();
        optG.step();
        gAB.ClipRho();
        gBA.ClipRho();
        SetRequiresGrad(true, dGA, dGB, dLA, dLB);

        return new Dictionary<string, double>
        {
            ["d_loss"] = dLoss.item<float>(), ["g_loss"] = gLoss.item<float>(),
            ["d_a"] = lossDA.item<float>(), ["d_b"] = lossDB.item<float>(),
            ["adv_a"] = advA.item<float>(), ["adv_b"] = advB.item<float>(),
            ["cycle_a"] = cycA.item<float>(), ["cycle_b"] = cycB.item<float>(),
            ["idt_a"] = idA.item<float>(), ["idt_b"] = idB.item<float>(),
            ["cam_a"] = camA.item<float>(), ["cam_b"] = camB.item<float>(),
        };
    }

    /// <inheritdoc />
    public override Tensor Translate(Tensor images, TranslationDirection direction) => TranslateWithAttention(images, direction).Images;

    /// <inheritdoc />
    public (Tensor Images, Tensor HeatMaps) TranslateWithAttention(Tensor images, TranslationDirection direction) =>
        Translate(direction == TranslationDirection.AToB ? gAB : gBA, images, Device);

    /// <summary>Runs <paramref name="generator"/> in eval mode without gradients on <paramref name="images"/> <c>[N, C, H, W]</c>: (translations, heat maps <c>[N, 1, H/4, W/4]</c>).</summary>
    internal static (Tensor Images, Tensor HeatMaps) Translate(UGatItGenerator generator, Tensor images, Device device) =>
        Infer("U-GAT-IT", generator, generator.Config.Image, images, device, x =>
        {
            var (y, _, heat) = generator.call(x);
            return (y, heat);
        });

    /// <summary>
    /// Heat maps as images: each map <c>[N, 1, h, w]</c> scaled to its own [0, 1] range, up-sampled (nearest) to
    /// <paramref name="size"/> and mapped to [-1, 1] (white: most attended) <c>[N, 1, size, size]</c>.
    /// </summary>
    public static Tensor HeatMapImages(Tensor heatMaps, int size)
    {
        using var scope = NewDisposeScope();
        var lo = heatMaps.amin(new long[] { 1, 2, 3 }, keepdim: true);
        var hi = heatMaps.amax(new long[] { 1, 2, 3 }, keepdim: true);
        var unit = (heatMaps - lo) / (hi - lo).clamp_min(1e-8);                                               // [N, 1, h, w] in [0, 1]
        var up = nn.functional.interpolate(unit, new long[] { size, size }, mode: InterpolationMode.Nearest);   // [N, 1, size, size]
        return (up * 2 - 1).MoveToOuterDisposeScope();
    }
}
