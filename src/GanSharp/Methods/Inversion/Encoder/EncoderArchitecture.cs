using GanSharp.Nn;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>
/// What rebuilds an inversion encoder and ties it to its generator: a <see cref="DcganEncoder"/> whose head has one
/// output per code value (and, for PadInv, per padding coefficient), the latent space it predicts in and the generator's
/// shapes it was trained for.
/// </summary>
/// <param name="Backbone">The encoder's layer plan; <see cref="DcganConfig.LatentSize"/> is the head's output count.</param>
/// <param name="Space">z, w or wplus.</param>
/// <param name="CodeShape">One image's code: <c>[Z]</c>, <c>[S]</c> or <c>[K, S]</c>.</param>
/// <param name="Image">The generator's output shape.</param>
/// <param name="Generator">The generator checkpoint it was trained against (informational).</param>
public sealed record EncoderArchitecture(DcganConfig Backbone, string Space, long[] CodeShape, ImageShape Image, string Generator)
{
    /// <summary>Values of one code.</summary>
    public long CodeSize => CodeShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The latent space.</summary>
    public LatentSpace LatentSpace => LatentSpaces.Parse(Space);

    /// <summary>
    /// The architecture of an encoder for <paramref name="g"/> predicting codes of <paramref name="space"/> and
    /// <paramref name="extraOutputs"/> further values (PadInv's padding coefficients). Needs a generator side of 28, 32 or 64.
    /// </summary>
    public static EncoderArchitecture For(IGenerator g, LatentSpace space, int width, string generator, long extraOutputs = 0)
    {
        var shape = g.Output;
        if (shape.Height != shape.Width || !DcganConfig.SupportedImageSizes.Contains(shape.Height))
            throw new GanSharpException($"the encoder supports square images of {string.Join(", ", DcganConfig.SupportedImageSizes)} px; the generator makes {shape.Width}x{shape.Height}");
        var code = LatentCodes.Shape(g, space, 1).Skip(1).ToArray();
        long outputs = code.Aggregate(1L, (a, b) => a * b) + extraOutputs;
        // Layer norm, not BatchNorm: the encoder must give an image the same code whatever else is in its batch.
        var backbone = new DcganConfig
        {
            ImageSize = shape.Height, Channels = shape.Channels, LatentSize = checked((int)outputs), DiscriminatorWidth = width,
            GeneratorWidth = width, DiscriminatorNorm = DiscriminatorNorm.LayerNorm,
        }.Validate();
        return new EncoderArchitecture(backbone, space.Name(), code, shape, generator);
    }

    /// <summary>Refuses a generator whose shapes differ from the ones the encoder was trained for.</summary>
    public void CheckGenerator(IGenerator g, string what)
    {
        var code = LatentCodes.Shape(g, LatentSpace, 1).Skip(1).ToArray();
        if (g.Output != Image || !code.SequenceEqual(CodeShape))
            throw new GanSharpException($"{what} was trained for a generator of {Image.Channels}x{Image.Height}x{Image.Width} images and {Space} codes [{string.Join(", ", CodeShape)}]; " +
                $"this generator makes {g.Output.Channels}x{g.Output.Height}x{g.Output.Width} images with codes [{string.Join(", ", code)}]",
                $"use the generator it was trained against ({Generator})");
    }

    /// <summary>A fresh encoder network (DCGAN initialisation from <paramref name="seed"/>).</summary>
    public DcganEncoder CreateEncoder(ulong seed)
    {
        var e = new DcganEncoder(Backbone);
        DcganInit.Apply(seed, e);
        return e;
    }

    /// <summary>The architecture as JSON (for checkpoints).</summary>
    public JsonElement ToJson() => CheckpointWriter.ToJson(this);
}
