using GanSharp.Methods.Anomaly.AnoGan;
using GanSharp.Methods.Anomaly.Egbad;
using GanSharp.Methods.Anomaly.FAnoGan;
using GanSharp.Methods.Anomaly.Ganomaly;

namespace GanSharp.Methods.Anomaly;

/// <summary>The registered anomaly-detection methods, by name.</summary>
public static class AnomalyDetectors
{
    /// <summary>Every method, in the order reports list them.</summary>
    public static IReadOnlyList<IAnomalyDetector> All { get; } = new IAnomalyDetector[]
    {
        new AnoGanDetector(), new EgbadDetector(), new GanomalyDetector(), new FAnoGanDetector(),
    };

    /// <summary>The method names.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    /// <summary>The method called <paramref name="name"/>, or a clear error listing them.</summary>
    public static IAnomalyDetector Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new GanSharpException($"anomaly method '{name}' is unknown", "use one of: " + string.Join(", ", Names));
}
