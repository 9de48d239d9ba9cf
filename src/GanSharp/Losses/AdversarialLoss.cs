namespace GanSharp.Losses;

/// <summary>The adversarial objectives GanSharp trains with (METHODS.md §1).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AdversarialLoss>))]
public enum AdversarialLoss
{
    /// <summary>Goodfellow et al. 2014, G minimises E[log(1 − σ(D(G(z))))] (saturates early; for study).</summary>
    Minimax,

    /// <summary>Goodfellow et al. 2014, G maximises E[log σ(D(G(z)))] (the default).</summary>
    NonSaturating,

    /// <summary>Arjovsky et al. 2017, Wasserstein critic with weight clipping.</summary>
    Wgan,

    /// <summary>Gulrajani et al. 2017, Wasserstein critic with a gradient penalty on interpolates.</summary>
    WganGp,

    /// <summary>Mao et al. 2017, least squares.</summary>
    Lsgan,

    /// <summary>Lim &amp; Ye 2017 (Geometric GAN) / Miyato et al. 2018 (SN-GAN), hinge.</summary>
    Hinge,
}
