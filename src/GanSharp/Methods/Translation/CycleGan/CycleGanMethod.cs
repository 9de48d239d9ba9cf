using GanSharp.Data;
using DataLoader = GanSharp.Data.DataLoader;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>
/// CycleGAN: two generators G_AB: A → B and G_BA: B → A (<see cref="ResnetGenerator"/>) and two PatchGAN discriminators,
/// D_A judging domain A images (reals of A against G_BA(b)) and D_B judging domain B (reals of B against G_AB(a)),
/// trained with least-squares adversarial losses, the λ-weighted cycle loss and the 0.5·λ identity loss. One
/// <see cref="TrainStep"/> takes domain A's batch and, as its <see cref="Batch.Partner"/>, domain B's (train it with
/// <see cref="Trainer(ITrainingMethod, UnpairedDataset, TrainingOptions, Device)"/>); it updates both generators (one
/// Adam), then both discriminators (one Adam) on fakes drawn through a history pool each. For the paper's schedule (a
/// constant rate, then linear decay to 0 over the second half) use <see cref="LrSchedule.LinearDecay"/> with decay fraction 0.5.
/// </summary>
/// <remarks>Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks", ICCV 2017.</remarks>
public sealed class CycleGanMethod : UnpairedTranslationMethod
{
    /// <summary>The method name in checkpoints.</summary>
    public const string MethodName = "cyclegan";

    readonly ResnetGenerator gAB, gBA;
    readonly PatchDiscriminator dA, dB;
    readonly ImageHistoryPool poolA, poolB;
    readonly CycleGanOptions o;

    /// <summary>Builds fresh networks on <paramref name="device"/> and their optimisers.</summary>
    /// <param name="config">The architecture.</param>
    /// <param name="options">Training options.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="sampleSource">The two domains whose fixed real images fill the sample grids (needed by <see cref="UnpairedTranslationMethod.FixedSampleInputs"/>).</param>
    /// <param name="seed">Seed of the weight initialisation (every weight is drawn from it, so runs do not depend on the global stream); null uses the global stream.</param>
    public CycleGanMethod(CycleGanConfig config, CycleGanOptions options, Device device, UnpairedDataset? sampleSource = null, ulong? seed = null)
        : base("CycleGAN", config.Validate().Image, device, sampleSource)
    {
        Config = config;
        o = options.Validate();
        using var init = seed is ulong s ? new torch.Generator(s) : null; // on the CPU, where the networks are built
        gAB = new ResnetGenerator(config, o.InitGain, "g_ab", init);
        gBA = new ResnetGenerator(config, o.InitGain, "g_ba", init);
        dA = new PatchDiscriminator(config, o.InitGain, "d_a", init);
        dB = new PatchDiscriminator(config, o.InitGain, "d_b", init);
        poolA = new ImageHistoryPool(o.PoolSize, config.Channels, config.Size, config.Size, "pool_a");
        poolB = new ImageHistoryPool(o.PoolSize, config.Channels, config.Size, config.Size, "pool_b");
        foreach (var m in new nn.Module[] { gAB, gBA, dA, dB, poolA, poolB }) m.to(device);
        GeneratorOptimizer = optim.Adam(gAB.parameters().Concat(gBA.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2);
        DiscriminatorOptimizer = optim.Adam(dA.parameters().Concat(dB.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2);
    }

    /// <summary>The architecture.</summary>
    public CycleGanConfig Config { get; }

    /// <summary>G_AB: A → B.</summary>
    public ResnetGenerator GeneratorAB => gAB;

    /// <summary>G_BA: B → A.</summary>
    public ResnetGenerator GeneratorBA => gBA;

    /// <summary>D_A: judges domain A images.</summary>
    public PatchDiscriminator DiscriminatorA => dA;

    /// <summary>D_B: judges domain B images.</summary>
    public PatchDiscriminator DiscriminatorB => dB;

    /// <inheritdoc />
    public override string Name => MethodName;

    /// <inheritdoc />
    public override object Options => o;

    /// <inheritdoc />
    public override object Architecture => Config;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module>
    {
        ["g_ab"] = gAB, ["g_ba"] = gBA, ["d_a"] = dA, ["d_b"] = dB, ["pool_a"] = poolA, ["pool_b"] = poolB,
    };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var (realA, realB) = DomainImages(batch); // [N, C, H, W] each
        var optG = GeneratorOptimizer;
        var optD = DiscriminatorOptimizer;
        double lambda = o.CycleWeight;

        // Generators (the discriminators are constants here).
        SetRequiresGrad(false, dA, dB);
        optG.zero_grad();
        var fakeB = gAB.call(realA); // [N, C, H, W]
        var recA = gBA.call(fakeB);  // [N, C, H, W]
        var fakeA = gBA.call(realB); // [N, C, H, W]
        var recB = gAB.call(fakeA);  // [N, C, H, W]
        var advAB = CycleGanLosses.GeneratorAdversarial(dB.call(fakeB));
        var advBA = CycleGanLosses.GeneratorAdversarial(dA.call(fakeA));
        var cycA = CycleGanLosses.Cycle(realA, recA, lambda);
        var cycB = CycleGanLosses.Cycle(realB, recB, lambda);
        var gLoss = advAB + advBA + cycA + cycB;
        var scalars = new Dictionary<string, double>();
        if (o.IdentityWeight > 0)
        {
            var idtB = CycleGanLosses.Identity(realB, gAB.call(realB), lambda, o.IdentityWeight); // G_AB should leave B images alone
            var idtA = CycleGanLosses.Identity(realA, gBA.call(realA), lambda, o.IdentityWeight); // and G_BA A images
            gLoss = gLoss + idtA + idtB;
            scalars["idt_a"] = idtA.item<float>();
            scalars["idt_b"] = idtB.item<float>();
        }
        gLoss.backward();
        optG.step();
        SetRequiresGrad(true, dA, dB);

        // Discriminators, on fakes through the history pools.
        optD.zero_grad();
        var pooledB = poolB.Query(fakeB, ctx.Rng); // [N, C, H, W], detached
        var pooledA = poolA.Query(fakeA, ctx.Rng); // [N, C, H, W], detached
        var lossDB = CycleGanLosses.DiscriminatorAdversarial(dB.call(realB), dB.call(pooledB));
        var lossDA = CycleGanLosses.DiscriminatorAdversarial(dA.call(realA), dA.call(pooledA));
        var dLoss = lossDA + lossDB;
        dLoss.backward();
        optD.step();

        scalars["g_adv_ab"] = advAB.item<float>();
        scalars["g_adv_ba"] = advBA.item<float>();
        scalars["cycle_a"] = cycA.item<float>();
        scalars["cycle_b"] = cycB.item<float>();
        scalars["g_loss"] = gLoss.item<float>();
        scalars["d_a"] = lossDA.item<float>();
        scalars["d_b"] = lossDB.item<float>();
        scalars["d_loss"] = dLoss.item<float>();
        return scalars;
    }

    /// <inheritdoc />
    public override Tensor Translate(Tensor images, TranslationDirection direction) => Translate(direction == TranslationDirection.AToB ? gAB : gBA, images, Device);

    /// <summary>Runs <paramref name="generator"/> in eval mode without gradients on <paramref name="images"/> <c>[N, C, H, W]</c>.</summary>
    internal static Tensor Translate(ResnetGenerator generator, Tensor images, Device device) =>
        Infer("CycleGAN", generator, generator.Config.Image, images, device, x => generator.call(x)); // [N, C, H, W]
}
