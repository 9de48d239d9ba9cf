using System.Text.Json;
using static TorchSharp.torch;

namespace GanSharp.Methods.Anomaly;

/// <summary>A freshly trained detector: its scorer and what its model checkpoint must hold.</summary>
/// <param name="Scorer">Scores with the trained networks.</param>
/// <param name="Architecture">The networks' architecture config.</param>
/// <param name="ScorerOptions">The scorer's options.</param>
/// <param name="Modules">The networks the scorer needs, by checkpoint name.</param>
/// <param name="Stages">The training stages run (one, or two for f-AnoGAN).</param>
public sealed record AnomalyTrainedModel(
    IAnomalyScorer Scorer,
    JsonElement Architecture,
    JsonElement ScorerOptions,
    IReadOnlyDictionary<string, nn.Module> Modules,
    IReadOnlyList<Training.TrainingResult> Stages);
