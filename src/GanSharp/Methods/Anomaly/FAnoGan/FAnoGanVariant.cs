using System.Text.Json.Serialization;

namespace GanSharp.Methods.Anomaly.FAnoGan;

/// <summary>How f-AnoGAN's encoder is trained (Schlegl et al. 2019, section 2.3).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FAnoGanVariant>))]
public enum FAnoGanVariant
{
    /// <summary>izi: image → z → image, L = mean (x − G(E(x)))².</summary>
    Izi,
    /// <summary>ziz: z → image → z, L = mean (z − E(G(z)))².</summary>
    Ziz,
    /// <summary>izi_f: izi plus κ·mean (f(x) − f(G(E(x))))² on discriminator features (the paper's choice).</summary>
    IziF,
}
