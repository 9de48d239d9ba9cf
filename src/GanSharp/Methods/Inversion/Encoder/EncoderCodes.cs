using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion.Encoder;

/// <summary>Turning an encoder's raw outputs into codes: the outputs are offsets from the code space's centre.</summary>
public static class EncoderCodes
{
    /// <summary>
    /// Codes for <paramref name="images"/>: the first <see cref="EncoderArchitecture.CodeSize"/> outputs of
    /// <paramref name="encoder"/>, reshaped and added to the centre (0 for z, w̄ for w and w+), so an untrained encoder
    /// starts near the mean image.
    /// </summary>
    /// <param name="g">The generator (for w̄).</param>
    /// <param name="arch">The encoder's architecture.</param>
    /// <param name="encoder">The network.</param>
    /// <param name="images">// [N, C, H, W]</param>
    /// <returns>// [N, ...CodeShape]</returns>
    public static Tensor Predict(IGenerator g, EncoderArchitecture arch, DcganEncoder encoder, Tensor images) =>
        FromOutputs(g, arch, encoder.call(images));

    /// <summary>Codes from raw outputs <c>[N, outputs]</c> (the code part comes first). // [N, ...CodeShape]</summary>
    public static Tensor FromOutputs(IGenerator g, EncoderArchitecture arch, Tensor outputs)
    {
        long n = outputs.shape[0];
        var offset = outputs[.., ..(int)arch.CodeSize].reshape(new[] { n }.Concat(arch.CodeShape).ToArray());
        return arch.LatentSpace == LatentSpace.Z ? offset : offset + g.MeanLatent.detach().to(offset.dtype, offset.device);
    }

    /// <summary>The codes of random samples: z, Map(z), or Map(z) in every row of w+. // [N, ...CodeShape]</summary>
    public static Tensor OfLatents(IGenerator g, LatentSpace space, Tensor z) => space switch
    {
        LatentSpace.Z => z,
        LatentSpace.W => g.Map(z),
        _ => g.Map(z).unsqueeze(1).expand(-1, g.StyleCount, -1).contiguous(),
    };
}
