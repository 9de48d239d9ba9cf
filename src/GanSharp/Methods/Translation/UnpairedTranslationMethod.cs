using GanSharp.Data;
using GanSharp.Models;
using GanSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation;

/// <summary>
/// What the unpaired translators (CycleGAN, U-GAT-IT) share around their own training step: two optimisers (the
/// generators', the discriminators'), the two domains' batches, freezing the discriminators during the generator
/// update, sample grids of fixed real images of both domains, running a generator for inference, and disposal.
/// </summary>
public abstract class UnpairedTranslationMethod : ITrainingMethod, ITranslator
{
    readonly UnpairedDataset? sampleSource;
    readonly string displayName;
    int sampleColumns = 1;

    /// <summary>The generators' optimiser (checkpoint name <c>generators</c>); set by the derived constructor.</summary>
    protected OptimizerHelper GeneratorOptimizer { get; set; } = null!;

    /// <summary>The discriminators' optimiser (checkpoint name <c>discriminators</c>); set by the derived constructor.</summary>
    protected OptimizerHelper DiscriminatorOptimizer { get; set; } = null!;

    /// <summary>Checks that the sample source's images have the networks' shape.</summary>
    /// <param name="displayName">The method's name in messages, e.g. <c>CycleGAN</c>.</param>
    /// <param name="image">The image shape the networks take.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="sampleSource">The two domains whose fixed real images fill the sample grids (needed by <see cref="FixedSampleInputs"/>).</param>
    protected UnpairedTranslationMethod(string displayName, ImageShape image, Device device, UnpairedDataset? sampleSource)
    {
        this.displayName = displayName;
        this.sampleSource = sampleSource;
        Device = device;
        TranslationSamples.RequireShape(sampleSource, image, displayName);
    }

    /// <summary>Where the method trains.</summary>
    protected Device Device { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract object Options { get; }

    /// <inheritdoc />
    public abstract object Architecture { get; }

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper>
    {
        ["generators"] = GeneratorOptimizer, ["discriminators"] = DiscriminatorOptimizer,
    };

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, double> TrainStep(Batch batch, StepContext context);

    /// <inheritdoc />
    public abstract Tensor Translate(Tensor images, TranslationDirection direction);

    /// <summary>Domain A's and domain B's images of a step, on the device, with every network in training mode.</summary>
    protected (Tensor A, Tensor B) DomainImages(Batch batch)
    {
        var partner = batch.Partner ?? throw new GanSharpException($"{displayName} trains on two domains: the batch has no domain B partner",
            "train it with Trainer(method, new UnpairedDataset(a, b), ...)");
        foreach (var m in Networks.Values) m.train();
        return (batch.Images.to(Device), partner.Images.to(Device)); // [N, C, H, W] each
    }

    /// <summary>Freezes (or unfreezes) every parameter of <paramref name="modules"/>: the discriminators during the generator update.</summary>
    protected static void SetRequiresGrad(bool value, params nn.Module[] modules)
    {
        foreach (var m in modules)
            foreach (var p in m.parameters()) p.requires_grad_(value);
    }

    /// <summary>
    /// Runs <paramref name="run"/> on <paramref name="images"/> <c>[N, C, H, W]</c> (moved to <paramref name="device"/>)
    /// with <paramref name="generator"/> in eval mode and without gradients, after checking the shape against
    /// <paramref name="image"/>; the generator's mode is restored.
    /// </summary>
    public static T Infer<T>(string displayName, nn.Module generator, ImageShape image, Tensor images, Device device, Func<Tensor, T> run)
    {
        if (images.dim() != 4 || images.shape[1] != image.Channels || images.shape[2] != image.Height || images.shape[3] != image.Width)
            throw new GanSharpException($"{displayName}: images of shape [{string.Join(", ", images.shape)}]; the generator takes [N, {image.Channels}, {image.Height}, {image.Width}]");
        bool wasTraining = generator.training;
        generator.eval();
        try
        {
            using var _ = no_grad();
            return run(images.to(device));
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
    public Tensor Sample(Tensor fixedInputs) => TranslationSamples.Grid(this, fixedInputs, Device);

    /// <summary>
    /// Fixed real images <c>[2, K, C, H, W]</c>, K = min(<paramref name="count"/>, 8): evenly spaced items of domain A and
    /// of domain B (the random stream is not used, so the grid shows the same images in every run on the same data).
    /// </summary>
    public Tensor FixedSampleInputs(int count, torch.Generator rng, Device device) =>
        TranslationSamples.FixedInputs(sampleSource, count, device, displayName, out sampleColumns);

    /// <inheritdoc />
    public int? SampleColumns => sampleColumns;

    /// <summary>Disposes the optimisers and every network.</summary>
    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        foreach (var m in Networks.Values) m.Dispose();
        GC.SuppressFinalize(this);
    }
}
