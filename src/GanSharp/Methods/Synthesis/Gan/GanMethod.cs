using GanSharp.Checkpoints;
using GanSharp.Data;
using GanSharp.Losses;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>
/// Adversarial training of any <see cref="IGenerator"/> against any <see cref="IDiscriminator"/> with the losses of
/// <see cref="AdversarialLoss"/>. One <see cref="TrainStep"/> is one discriminator update on a fresh batch; the generator
/// is updated on every <see cref="GanOptions.CriticSteps"/>-th step (so WGAN's n_critic = 5 sees five batches per
/// generator update, as in the paper). An EMA copy of the generator renders the samples.
/// </summary>
/// <remarks>
/// Goodfellow et al. 2014 (GAN, non-saturating loss); Radford et al. 2016 (DCGAN); Arjovsky et al. 2017 (WGAN);
/// Gulrajani et al. 2017 (WGAN-GP); Mao et al. 2017 (LSGAN); Lim &amp; Ye 2017 (hinge); Mescheder et al. 2018 (R1).
/// </remarks>
public sealed class GanMethod : ITrainingMethod, INumericsCanary, IResumableMethodState
{
    readonly IGenerator g;
    readonly IGenerator gEma;
    readonly IDiscriminator d;
    readonly GanOptions o;
    readonly OptimizerHelper optG, optD;
    readonly Device device;
    readonly Nn.AdaptiveAugmentProbability? adaptive; // ADA's p, when GanOptions.AdaptiveAugment
    readonly PathLengthRegularizer? pathLength;       // StyleGAN2's path length regularisation, when its weight is positive
    Tensor[] fixedNoise = Array.Empty<Tensor>();      // the sample grids' noise inputs, drawn once with their latents
    double lastGLoss = double.NaN;

    /// <summary>Wires the networks (moved to <paramref name="device"/>) and creates the optimisers.</summary>
    /// <param name="generator">The trained generator.</param>
    /// <param name="generatorEma">A second instance of the same architecture; receives the EMA of the generator.</param>
    /// <param name="discriminator">The discriminator/critic.</param>
    /// <param name="options">Options; nulls take the loss's defaults.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="architecture">What rebuilds the networks (written to checkpoints).</param>
    public GanMethod(IGenerator generator, IGenerator generatorEma, IDiscriminator discriminator, GanOptions options, Device device, object architecture)
    {
        if (generator.Output != discriminator.Input)
            throw new GanSharpException($"generator output {generator.Output} does not match discriminator input {discriminator.Input}");
        g = generator; gEma = generatorEma; d = discriminator; this.device = device;
        o = options.Validate();
        Architecture = architecture;
        g.Module.to(device); gEma.Module.to(device); d.Module.to(device);
        Ema.CopyInto(g.Module, gEma.Module);
        foreach (var p in gEma.Module.parameters()) p.requires_grad_(false);
        optG = MakeOptimizer(g.Module);
        optD = MakeOptimizer(d.Module);
        if (o.AdaptiveAugment) adaptive = new Nn.AdaptiveAugmentProbability(o.AugmentProbability, speedImages: o.AugmentSpeedImages);
        if (o.PathLengthWeight > 0)
        {
            if (generator is not IStyleGenerator)
                throw new GanSharpException("path length regularisation needs a generator with styles", "use --arch stylegan or stylegan2, or --pl-weight 0");
            pathLength = new PathLengthRegularizer();
        }
    }

    OptimizerHelper MakeOptimizer(nn.Module m) => o.Optimizer == OptimizerKind.RmsProp
        ? optim.RMSProp(m.parameters(), lr: o.LearningRate!.Value)
        : optim.Adam(m.parameters(), lr: o.LearningRate!.Value, beta1: o.Beta1!.Value, beta2: o.Beta2!.Value);

    /// <summary>
    /// The training-time canary: the end-to-end float64 check (<see cref="GanArchitecture.NumericsError(int, Device, IGenerator?, IDiscriminator?)"/>)
    /// on copies of the current G and D, at <paramref name="batch"/> images. Only where the architecture is known.
    /// </summary>
    public Platform.NumericsComparison? CheckNumerics(int batch) =>
        Architecture is GanArchitecture arch ? arch.NumericsError(batch, device, g, d) : null;

    /// <summary>The generator being trained.</summary>
    public IGenerator Generator => g;

    /// <summary>The EMA generator (use it for sampling and evaluation).</summary>
    public IGenerator GeneratorEma => gEma;

    /// <summary>The discriminator.</summary>
    public IDiscriminator Discriminator => d;

    /// <inheritdoc />
    public string Name => "gan";

    /// <inheritdoc />
    public object Options => o;

    /// <inheritdoc />
    public object Architecture { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> Networks => new Dictionary<string, nn.Module>
    {
        ["generator"] = g.Module, ["generator_ema"] = gEma.Module, ["discriminator"] = d.Module,
    };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["generator"] = optG, ["discriminator"] = optD };

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext ctx)
    {
        var scalars = new Dictionary<string, double>();
        var real = batch.Images.to(device); // [N, C, H, W]
        long n = real.shape[0];
        g.Module.train();
        d.Module.train();

        // Discriminator / critic update.
        optD.zero_grad();
        Tensor fake;
        using (no_grad()) fake = Fakes(n, ctx); // [N, C, H, W]
        bool r1Now = o.R1Gamma > 0 && ctx.Step % o.R1Interval == 0;
        var realIn = r1Now ? real.detach().requires_grad_(true) : real;
        var realScores = Score(realIn, ctx); // [N]
        var fakeScores = Score(fake, ctx);   // [N]
        var dLoss = AdversarialLosses.DiscriminatorLoss(o.Loss, realScores, fakeScores);
        var total = dLoss;
        if (o.Loss == AdversarialLoss.WganGp && o.GradientPenaltyWeight > 0)
        {
            var gp = Penalties.GradientPenalty(x => d.Score(x), real, fake, o.GradientPenaltyWeight!.Value, ctx.Rng);
            total = total + gp;
            scalars["gp"] = gp.item<float>();
        }
        if (r1Now)
        {
            var r1 = Penalties.R1Penalty(realScores, realIn, o.R1Gamma, o.R1Interval);
            total = total + r1;
            scalars["r1"] = r1.item<float>();
        }
        total.backward();
        if (o.GradientClipNorm > 0) nn.utils.clip_grad_norm_(d.Module.parameters(), o.GradientClipNorm);
        optD.step();
        if (o.Loss == AdversarialLoss.Wgan) WassersteinLoss.ClipWeights(d.Module, o.ClipValue!.Value);
        if (adaptive is not null)
        {
            adaptive.Observe(realScores); // ADA's r_t from the augmented reals' raw scores; p moves every few steps
            scalars["augment_p"] = adaptive.Probability;
        }
        scalars["d_loss"] = dLoss.item<float>();
        scalars["d_real"] = realScores.mean().item<float>();
        scalars["d_fake"] = fakeScores.mean().item<float>();
        if (o.Loss is AdversarialLoss.Wgan or AdversarialLoss.WganGp)
            scalars["wasserstein"] = WassersteinLoss.Estimate(realScores.detach(), fakeScores.detach());

        // Generator update every CriticSteps-th step.
        if (ctx.Step % o.CriticSteps!.Value == o.CriticSteps.Value - 1)
        {
            optG.zero_grad();
            var gen = Fakes(n, ctx, trackMean: true);
            var gLoss = AdversarialLosses.GeneratorLoss(o.Loss, Score(gen, ctx));
            long t = ctx.Step / o.CriticSteps.Value; // generator updates before this one
            var gTotal = gLoss;
            if (pathLength is not null && t % o.PathLengthInterval == 0)
            {
                var pl = PathLengthPenalty(Math.Max(1, n / o.PathLengthBatchShrink), ctx);
                gTotal = gTotal + o.PathLengthWeight * o.PathLengthInterval * pl;
                scalars["pl_penalty"] = pl.ToDouble();
                scalars["pl_length"] = pathLength.LastLength;
                scalars["pl_mean"] = pathLength.Mean;
            }
            gTotal.backward();
            if (o.GradientClipNorm > 0) nn.utils.clip_grad_norm_(g.Module.parameters(), o.GradientClipNorm);
            optG.step();
            // Ramp-up (as TensorFlow's ExponentialMovingAverage with num_updates): early samples are not dominated by the init.
            Ema.Update(g.Module, gEma.Module, Math.Min(o.EmaBeta, (1.0 + t) / (10.0 + t)));
            lastGLoss = gLoss.item<float>();
        }
        scalars["g_loss"] = lastGLoss;
        if (double.IsNaN(lastGLoss)) scalars.Remove("g_loss");
        return scalars;
    }

    /// <summary>D's scores <c>[N]</c> of images seen through the differentiable augmentation (when one is set).</summary>
    Tensor Score(Tensor images, StepContext ctx) =>
        o.Augment == Nn.DiffAugmentPolicy.None ? d.Score(images) : d.Score(Nn.DiffAugment.Apply(images, o.Augment, ctx.Rng, AugmentProbability));

    /// <summary>The augmentation probability p in use: the adaptive one, else the fixed option.</summary>
    public double AugmentProbability => adaptive?.Probability ?? o.AugmentProbability;

    /// <summary>The name of the checkpoint extra that holds the adaptive augmentation state.</summary>
    public const string AugmentStateName = "augment";

    /// <summary>The name of the checkpoint extra that holds the path length regulariser's running mean.</summary>
    public const string PathLengthStateName = "path_length";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object> SaveState()
    {
        var state = new Dictionary<string, object>();
        if (adaptive is not null) state[AugmentStateName] = adaptive.State;
        if (pathLength is not null) state[PathLengthStateName] = pathLength.State;
        return state;
    }

    /// <inheritdoc />
    public void RestoreState(CheckpointReader reader)
    {
        // A run resumed with adaptive p (or path length regularisation) switched on (--override) starts it afresh.
        if (adaptive is not null && reader.Has(CheckpointFileKind.Extra, AugmentStateName))
            adaptive.Restore(reader.ReadJson<Nn.AdaptiveAugmentState>(AugmentStateName));
        if (pathLength is not null && reader.Has(CheckpointFileKind.Extra, PathLengthStateName))
            pathLength.Restore(reader.ReadJson<PathLengthState>(PathLengthStateName));
    }

    /// <summary>
    /// The path length penalty on <paramref name="m"/> fresh fakes (mixed styles as in training, noise and y from the
    /// step's stream), differentiable with respect to G's weights.
    /// </summary>
    Tensor PathLengthPenalty(long m, StepContext ctx)
    {
        var (images, ws) = StyleFakes((IStyleGenerator)g, m, ctx, trackMean: false); // [m, C, H, W], [m, K, S]
        return pathLength!.Penalty(images, ws, PathLengthRegularizer.Direction(images.shape, images.dtype, device, ctx.Rng));
    }

    /// <summary>
    /// Fakes for a training step, every random draw from the step's stream (so resume is exact). Style generators get
    /// style mixing regularisation and, on generator steps, the tracked mean latent update.
    /// </summary>
    Tensor Fakes(long n, StepContext ctx, bool trackMean = false) =>
        g is IStyleGenerator sg ? StyleFakes(sg, n, ctx, trackMean).Images : g.Generate(g.SampleLatents(n, ctx.Rng, device));

    /// <summary>Style-mixed fakes and the w+ <c>[N, K, S]</c> that made them: z1, z2, the crossover and the noise, in that order from the step's stream.</summary>
    (Tensor Images, Tensor Styles) StyleFakes(IStyleGenerator sg, long n, StepContext ctx, bool trackMean)
    {
        var z1 = sg.SampleLatents(n, ctx.Rng, device);
        var z2 = sg.SampleLatents(n, ctx.Rng, device);
        var ws = sg.MixStyles(z1, z2, sg.MixingProbability, ctx.Rng); // [N, K, S]
        if (trackMean) sg.UpdateMeanLatent(ws);
        return (sg.Synthesize(ws, sg.MakeNoise(n, ctx.Rng, device)), ws);
    }

    /// <inheritdoc />
    /// <remarks>The grids' noise inputs are the ones <see cref="FixedSampleInputs"/> drew with the latents, so the grids of one run
    /// differ only by what training changed, not by fresh noise from torch's global stream.</remarks>
    public Tensor Sample(Tensor fixedInputs)
    {
        gEma.Module.eval();
        using var _ = no_grad();
        var noise = fixedNoise.Length > 0 && fixedNoise[0].shape[0] == fixedInputs.shape[0] ? fixedNoise : null;
        return gEma.Generate(fixedInputs.to(device), noise: noise);
    }

    /// <inheritdoc />
    /// <remarks>Draws z, then the noise inputs for the same images, from <paramref name="rng"/>; the noise is kept for <see cref="Sample"/>.</remarks>
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device)
    {
        var z = g.SampleLatents(count, rng, device);
        foreach (var t in fixedNoise) t.Dispose();
        fixedNoise = g.SampleNoise(count, rng, device).Select(t => t.DetachFromDisposeScope()).ToArray();
        return z;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        optG.Dispose();
        optD.Dispose();
        g.Module.Dispose();
        gEma.Module.Dispose();
        d.Module.Dispose();
        foreach (var t in fixedNoise) t.Dispose();
    }
}
