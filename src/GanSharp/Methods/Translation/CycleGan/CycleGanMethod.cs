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
public sealed class CycleGanMethod : ITrainingMethod, ITranslator
{
    /// <summary>The method name in checkpoints.</summary>
    public const string MethodName = "cyclegan";

    readonly ResnetGenerator gAB, gBA;
    readonly PatchDiscriminator dA, dB;
    readonly ImageHistoryPool poolA, poolB;
    readonly OptimizerHelper optG, optD;
    readonly CycleGanOptions o;
    readonly Device device;
    readonly UnpairedDataset? sampleSource;
    int sampleColumns = 1;

    /// <summary>Builds fresh networks on <paramref name="device"/> and their optimisers.</summary>
    /// <param name="config">The architecture.</param>
    /// <param name="options">Training options.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="sampleSource">The two domains whose fixed real images fill the sample grids (needed by <see cref="FixedSampleInputs"/>).</param>
    /// <param name="seed">Seed of the weight initialisation (every weight is drawn from it, so runs do not depend on the global stream); null uses the global stream.</param>
    public CycleGanMethod(CycleGanConfig config, CycleGanOptions options, Device device, UnpairedDataset? sampleSource = null, ulong? seed = null)
    {
        Config = config.Validate();
        o = options.Validate();
        this.device = device;
        this.sampleSource = sampleSource;
        TranslationSamples.RequireShape(sampleSource, config.Image, "CycleGAN");
        using var init = seed is ulong s ? new torch.Generator(s) : null; // on the CPU, where the networks are built
        gAB = new ResnetGenerator(config, o.InitGain, "g_ab", init);
        gBA = new ResnetGenerator(config, o.InitGain, "g_ba", init);
        dA = new PatchDiscriminator(config, o.InitGain, "d_a", init);
        dB = new PatchDiscriminator(config, o.InitGain, "d_b", init);
        poolA = new ImageHistoryPool(o.PoolSize, config.Channels, config.Size, config.Size, "pool_a");
        poolB = new ImageHistoryPool(o.PoolSize, config.Channels, config.Size, config.Size, "pool_b");
        foreach (var m in new nn.Module[] { gAB, gBA, dA, dB, poolA, poolB }) m.to(device);
        optG = optim.Adam(gAB.parameters().Concat(gBA.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2);
        optD = optim.Adam(dA.parameters().Concat(dB.parameters()), lr: o.LearningRate, beta1: o.Beta1, beta2: o.Beta2);
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
    public string Name => MethodName;

    /// <inheritdoc />
    public object Options => o;

    /// <inheritdoc />
    public object Architecture => Config;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module>
    {
        ["g_ab"] = gAB, ["g_ba"] = gBA, ["d_a"] = dA, ["d_b"] = dB, ["pool_a"] = poolA, ["pool_b"] = poolB,
    };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["generators"] = optG, ["discriminators"] = optD };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var partner = batch.Partner ?? throw new GanSharpException("CycleGAN trains on two domains: the batch has no domain B partner",
            "train it with Trainer(method, new UnpairedDataset(a, b), ...)");
        var realA = batch.Images.to(device);   // [N, C, H, W]
        var realB = partner.Images.to(device); // [N, C, H, W]
        foreach (var m in new nn.Module[] { gAB, gBA, dA, dB }) m.train();
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

    static void SetRequiresGrad(bool value, params nn.Module[] modules)
    {
        foreach (var m in modules)
            foreach (var p in m.parameters()) p.requires_grad_(value);
    }

    /// <inheritdoc />
    public Tensor Translate(Tensor images, TranslationDirection direction) => Translate(direction == TranslationDirection.AToB ? gAB : gBA, images, device);

    /// <summary>Runs <paramref name="generator"/> in eval mode without gradients on <paramref name="images"/> <c>[N, C, H, W]</c>.</summary>
    internal static Tensor Translate(ResnetGenerator generator, Tensor images, Device device)
    {
        if (images.dim() != 4 || images.shape[1] != generator.Config.Channels || images.shape[2] != generator.Config.Size || images.shape[3] != generator.Config.Size)
            throw new GanSharpException($"CycleGAN: images of shape [{string.Join(", ", images.shape)}]; the generator takes [N, {generator.Config.Channels}, {generator.Config.Size}, {generator.Config.Size}]");
        bool wasTraining = generator.training;
        generator.eval();
        try
        {
            using var _ = no_grad();
            return generator.call(images.to(device)); // [N, C, H, W]
        }
        finally
        {
            if (wasTraining) generator.train();
        }
    }

    /// <summary>
    /// Rows of the sample grid for fixed real images <c>[2, K, C, H, W]</c> (domain A's, then B's): A, A→B, A→B→A, B,
    /// B→A, B→A→B, as <c>[6K, C, H, W]</c>.
    /// </summary>
    public Tensor Sample(Tensor fixedInputs) => TranslationSamples.Grid(this, fixedInputs, device);

    /// <summary>
    /// Fixed real images <c>[2, K, C, H, W]</c>, K = min(<paramref name="count"/>, 8): evenly spaced items of domain A and
    /// of domain B (the random stream is not used, so the grid shows the same images in every run on the same data).
    /// </summary>
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) =>
        TranslationSamples.FixedInputs(sampleSource, count, device, "CycleGAN", out sampleColumns);

    /// <inheritdoc />
    public int? SampleColumns => sampleColumns;

    /// <inheritdoc />
    public void Dispose()
    {
        optG.Dispose();
        optD.Dispose();
        foreach (var m in new nn.Module[] { gAB, gBA, dA, dB, poolA, poolB }) m.Dispose();
    }
}
