using System.Text.Json.Serialization;

namespace GanSharp.Methods.Anomaly.Egbad;

/// <summary>EGBAD's discriminator term L_D in the anomaly score.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EgbadScoreKind>))]
public enum EgbadScoreKind
{
    /// <summary>Cross-entropy of D(x, E(x)) against the "real" label: softplus(−D(x, E(x))).</summary>
    CrossEntropy,
    /// <summary>Feature matching: Σ|f(x, E(x)) − f(G(E(x)), E(x))| on D's joint features.</summary>
    FeatureMatching,
}
