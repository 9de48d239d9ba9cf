using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Restoration;

/// <summary>
/// Colorization: <c>A(x)</c> is the Rec. 601 luma of RGB images (<see cref="ColorOps.RgbToGray"/>); restoring finds
/// colours whose luma matches the gray observation. Only defined for RGB generators.
/// </summary>
public sealed class GrayscaleDegradation : IDegradation
{
    /// <summary>
    /// The latent space colorization is best optimised in: on 48 held-out Twitter emoji through the bundled StyleGAN2, a
    /// single code in z restored 16.3 dB where one in w gave 14.3 (on 8 of them, w+ 11.8 against w 12.6). A code in z
    /// stays near the typical colours of the training set; one in w or w+ reaches saturated colours the gray levels do
    /// not rule out.
    /// </summary>
    public const LatentSpace PreferredSpace = LatentSpace.Z;

    /// <summary>The prior colorization is best restored with: one code (mGANprior in z scored 14.3 dB on the same 48 emoji).</summary>
    public const PriorMethod PreferredMethod = PriorMethod.Single;

    /// <inheritdoc />
    public string Name => "colorize";

    /// <inheritdoc />
    public ImageShape ObservedShape(ImageShape image)
    {
        if (image.Channels != 3)
            throw new GanSharpException($"colorization needs an RGB generator; this one makes {image.Channels}-channel images",
                "use a generator trained on colour images (e.g. emoji), or another task");
        return image with { Channels = 1 };
    }

    /// <inheritdoc />
    public Tensor Apply(Tensor images)
    {
        ObservedShape(new ImageShape((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]));
        return ColorOps.RgbToGray(images); // [N, 1, H, W]
    }

    /// <inheritdoc />
    public Tensor Observe(Tensor clean, Generator? rng = null) => Apply(clean);

    /// <inheritdoc />
    public Tensor Display(Tensor observation, ImageShape image) => ColorOps.GrayToRgb(observation).clamp(-1, 1);

    /// <inheritdoc />
    /// <remarks>
    /// The observed luma with the restoration's chroma (its colour minus its own luma,
    /// <see cref="ClassicalRestoration.Colorize"/>): where that colour would leave [-1, 1] the chroma is scaled towards
    /// gray just enough to stay inside, so the luma of the result is the observation exactly even after clamping.
    /// </remarks>
    public Tensor Consistent(Tensor restored, Tensor observation) => ClassicalRestoration.Colorize(observation, restored); // [N, 3, H, W]
}
