using System.Text.Json;
using GanSharp.Checkpoints;

namespace GanSharp.Methods.Synthesis.StyleGan;

/// <summary>Checkpoint factories of the StyleGAN networks: method <c>stylegan</c>, networks <c>generator</c> and <c>discriminator</c>.</summary>
public static class StyleGanModels
{
    /// <summary>The method name recorded in checkpoints.</summary>
    public const string Method = "stylegan";

    /// <summary>Name of the generator network in a checkpoint.</summary>
    public const string Generator = "generator";

    /// <summary>Name of the discriminator network in a checkpoint.</summary>
    public const string Discriminator = "discriminator";

    /// <summary>Registers both factories; the architecture JSON is a <see cref="StyleGanConfig"/>.</summary>
    public static void Register(CheckpointModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(Method, e => new StyleGanGenerator(ReadConfig(e)), Generator);
        registry.Register(Method, e => new StyleGanDiscriminator(ReadConfig(e)), Discriminator);
    }

    /// <summary>Reads a <see cref="StyleGanConfig"/> from a checkpoint's architecture JSON.</summary>
    public static StyleGanConfig ReadConfig(JsonElement architecture) =>
        architecture.Deserialize<StyleGanConfig>(CheckpointManifest.JsonOptions)
        ?? throw new GanSharpException("stylegan checkpoint: the architecture config is empty");
}
