using GanSharp.Checkpoints;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.UGatIt;

/// <summary>The two generators of a U-GAT-IT checkpoint, as an <see cref="IAttentionTranslator"/>.</summary>
public sealed class UGatItTranslator : IAttentionTranslator, IDisposable
{
    readonly Device device;

    internal UGatItTranslator(UGatItConfig config, UGatItGenerator ab, UGatItGenerator ba, Device device, long step)
    {
        Config = config;
        GeneratorAB = ab;
        GeneratorBA = ba;
        this.device = device;
        Step = step;
    }

    /// <summary>The architecture.</summary>
    public UGatItConfig Config { get; }

    /// <summary>G_AB: A → B, in eval mode.</summary>
    public UGatItGenerator GeneratorAB { get; }

    /// <summary>G_BA: B → A, in eval mode.</summary>
    public UGatItGenerator GeneratorBA { get; }

    /// <summary>The training step the checkpoint was written at.</summary>
    public long Step { get; }

    /// <inheritdoc />
    public Tensor Translate(Tensor images, TranslationDirection direction) => TranslateWithAttention(images, direction).Images;

    /// <inheritdoc />
    public (Tensor Images, Tensor HeatMaps) TranslateWithAttention(Tensor images, TranslationDirection direction) =>
        UGatItMethod.Translate(direction == TranslationDirection.AToB ? GeneratorAB : GeneratorBA, images, device);

    /// <inheritdoc />
    public void Dispose()
    {
        GeneratorAB.Dispose();
        GeneratorBA.Dispose();
    }
}

/// <summary>Loads U-GAT-IT checkpoints.</summary>
public static class UGatItCheckpoint
{
    /// <summary>
    /// Opens and verifies <paramref name="checkpoint"/> (a checkpoint folder, a run folder — its latest checkpoint — or
    /// <c>latest</c>) and loads both generators onto <paramref name="device"/> in eval mode. Another method's checkpoint is
    /// refused with a clear message.
    /// </summary>
    public static UGatItTranslator Load(string checkpoint, Device? device = null)
    {
        device ??= CPU;
        var reader = TranslationCheckpoint.Open(checkpoint, UGatItMethod.MethodName, "U-GAT-IT", "train one with gansharp train translate --method ugatit --light");
        var config = UGatItConfig.FromJson(reader.Manifest.Architecture);
        var (ab, ba) = TranslationCheckpoint.LoadGenerators(reader, name => new UGatItGenerator(config, name: name), device);
        return new UGatItTranslator(config, ab, ba, device, reader.Manifest.Step);
    }
}
