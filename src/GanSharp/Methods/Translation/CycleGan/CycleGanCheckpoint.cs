using GanSharp.Checkpoints;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>The two generators of a CycleGAN checkpoint, as an <see cref="ITranslator"/>.</summary>
public sealed class CycleGanTranslator : ITranslator, IDisposable
{
    readonly Device device;

    internal CycleGanTranslator(CycleGanConfig config, ResnetGenerator ab, ResnetGenerator ba, Device device, long step)
    {
        Config = config;
        GeneratorAB = ab;
        GeneratorBA = ba;
        this.device = device;
        Step = step;
    }

    /// <summary>The architecture.</summary>
    public CycleGanConfig Config { get; }

    /// <summary>G_AB: A → B, in eval mode.</summary>
    public ResnetGenerator GeneratorAB { get; }

    /// <summary>G_BA: B → A, in eval mode.</summary>
    public ResnetGenerator GeneratorBA { get; }

    /// <summary>The training step the checkpoint was written at.</summary>
    public long Step { get; }

    /// <inheritdoc />
    public Tensor Translate(Tensor images, TranslationDirection direction) =>
        CycleGanMethod.Translate(direction == TranslationDirection.AToB ? GeneratorAB : GeneratorBA, images, device);

    /// <inheritdoc />
    public void Dispose()
    {
        GeneratorAB.Dispose();
        GeneratorBA.Dispose();
    }
}

/// <summary>Loads CycleGAN checkpoints.</summary>
public static class CycleGanCheckpoint
{
    /// <summary>
    /// Opens and verifies <paramref name="checkpoint"/> (a checkpoint folder, a run folder — its latest checkpoint — or
    /// <c>latest</c>) and loads both generators onto <paramref name="device"/> in eval mode. Another method's checkpoint is
    /// refused with a clear message.
    /// </summary>
    public static CycleGanTranslator Load(string checkpoint, Device? device = null)
    {
        device ??= CPU;
        var reader = TranslationCheckpoint.Open(checkpoint, CycleGanMethod.MethodName, "CycleGAN", "train one with gansharp train translate --method cyclegan");
        var config = CycleGanConfig.FromJson(reader.Manifest.Architecture);
        var (ab, ba) = TranslationCheckpoint.LoadGenerators(reader, name => new ResnetGenerator(config, name: name), device);
        return new CycleGanTranslator(config, ab, ba, device, reader.Manifest.Step);
    }
}
