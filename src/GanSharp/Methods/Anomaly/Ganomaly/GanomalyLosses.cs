using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly.Ganomaly;

/// <summary>
/// GANomaly's loss terms and score, each a mean so that it does not grow with image or feature size (as the
/// authors' implementation computes them).
/// </summary>
/// <remarks>Akçay, Atapour-Abarghouei, Breckon, "GANomaly: Semi-Supervised Anomaly Detection via Adversarial Training", ACCV 2018, eq. 1–4.</remarks>
public static class GanomalyLosses
{
    /// <summary>L_adv = mean (f(x) − f(x̂))² over the batch and the discriminator features (feature matching).</summary>
    public static Tensor Adversarial(Tensor realFeatures, Tensor fakeFeatures) => (realFeatures - fakeFeatures).square().mean();

    /// <summary>L_con = mean |x − x̂| over the batch and pixels.</summary>
    public static Tensor Contextual(Tensor images, Tensor reconstructions) => (images - reconstructions).abs().mean();

    /// <summary>L_enc = mean (G_E(x) − E(x̂))² over the batch and latent dimensions.</summary>
    public static Tensor Encoder(Tensor latent, Tensor reconstructedLatent) => (latent - reconstructedLatent).square().mean();

    /// <summary>The weighted generator loss w_adv·L_adv + w_con·L_con + w_enc·L_enc.</summary>
    public static Tensor Generator(Tensor adversarial, Tensor contextual, Tensor encoder, GanomalyOptions o) =>
        o.AdversarialWeight * adversarial + o.ContextualWeight * contextual + o.EncoderWeight * encoder;

    /// <summary>The anomaly score per image: mean over latent dimensions of (G_E(x) − E(x̂))², i.e. ‖·‖²/Z; <c>[N, Z]</c> → <c>[N]</c>.</summary>
    public static Tensor Score(Tensor latent, Tensor reconstructedLatent) => (latent - reconstructedLatent).square().mean(new long[] { 1 });
}
