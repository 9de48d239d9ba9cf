using GanSharp.Checkpoints;

namespace GanSharp.Methods.Synthesis.Dcgan;

/// <summary>How DCGAN checkpoints rebuild their networks from the architecture config (a <see cref="DcganConfig"/>).</summary>
public static class DcganModels
{
    /// <summary>The method name in checkpoint manifests.</summary>
    public const string Method = "dcgan";

    /// <summary>The checkpoint module name of the generator.</summary>
    public const string Generator = "generator";

    /// <summary>The checkpoint module name of the discriminator.</summary>
    public const string Discriminator = "discriminator";

    /// <summary>
    /// Registers the factories of <see cref="Generator"/> (<see cref="DcganGenerator"/>) and <see cref="Discriminator"/>
    /// (<see cref="DcganDiscriminator"/>) under <see cref="Method"/>; each reads the manifest's architecture as a
    /// <see cref="DcganConfig"/>.
    /// </summary>
    public static void Register(CheckpointModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(Method, json => new DcganGenerator(DcganConfig.FromJson(json)), Generator);
        registry.Register(Method, json => new DcganDiscriminator(DcganConfig.FromJson(json)), Discriminator);
    }
}
