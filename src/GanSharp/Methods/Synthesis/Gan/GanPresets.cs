using GanSharp.Losses;

namespace GanSharp.Methods.Synthesis.Gan;

/// <summary>
/// A named set of <c>gansharp train gan</c> settings. Every field is optional; precedence is
/// built-in defaults &lt; preset &lt; command-line flags.
/// </summary>
public sealed record GanTrainSettings(
    string? Data = null,
    string? Arch = null,
    AdversarialLoss? Loss = null,
    int? Size = null,
    bool? Gray = null,
    int? Width = null,
    int? Latent = null,
    long? Steps = null,
    int? Batch = null,
    double? LearningRate = null,
    int? CriticSteps = null,
    double? R1Gamma = null,
    double? EmaBeta = null,
    ulong? Seed = null,
    int? SampleEvery = null,
    int? CheckpointEvery = null,
    string? Description = null,
    double? Beta1 = null,
    double? Beta2 = null,
    string? Augment = null,
    string? AugmentP = null,
    double? PathLength = null)
{
    /// <summary>Fields of <paramref name="over"/> that are set replace those of this record.</summary>
    public GanTrainSettings Merge(GanTrainSettings over) => new(
        over.Data ?? Data, over.Arch ?? Arch, over.Loss ?? Loss, over.Size ?? Size, over.Gray ?? Gray, over.Width ?? Width,
        over.Latent ?? Latent, over.Steps ?? Steps, over.Batch ?? Batch, over.LearningRate ?? LearningRate,
        over.CriticSteps ?? CriticSteps, over.R1Gamma ?? R1Gamma, over.EmaBeta ?? EmaBeta, over.Seed ?? Seed,
        over.SampleEvery ?? SampleEvery, over.CheckpointEvery ?? CheckpointEvery, over.Description ?? Description,
        over.Beta1 ?? Beta1, over.Beta2 ?? Beta2, over.Augment ?? Augment, over.AugmentP ?? AugmentP, over.PathLength ?? PathLength);

    /// <summary>The built-in defaults (DCGAN, non-saturating loss, bundled Fashion-MNIST is not a default: data is required).</summary>
    public static GanTrainSettings Defaults { get; } = new(
        Arch: "dcgan", Loss: AdversarialLoss.NonSaturating, Size: 64, Gray: false, Steps: 2000, Batch: 64,
        EmaBeta: 0.999, R1Gamma: 0, Seed: 1, SampleEvery: 250, CheckpointEvery: 500);
}

/// <summary>The named presets, in one table (the commands that produce the bundled checkpoints use them).</summary>
public static class GanPresets
{
    /// <summary>All presets by name.</summary>
    public static IReadOnlyDictionary<string, GanTrainSettings> All { get; } = new Dictionary<string, GanTrainSettings>(StringComparer.OrdinalIgnoreCase)
    {
        // Radford et al. 2016 on Fashion-MNIST at its native 28 px; widths halved for CPU training.
        ["dcgan-fashion"] = new(Data: "fashion-mnist", Arch: "dcgan", Loss: AdversarialLoss.NonSaturating, Size: 28, Gray: true,
            Width: 32, Latent: 64, Steps: 8000, Batch: 64, Description: "dcgan-fashion"),
        // Gulrajani et al. 2017: Adam(1e-4, 0, 0.9), n_critic 5, λ 10, LayerNorm critic.
        ["wgangp-fashion"] = new(Data: "fashion-mnist", Arch: "dcgan", Loss: AdversarialLoss.WganGp, Size: 28, Gray: true,
            Width: 32, Latent: 64, Steps: 5000, Batch: 64, Description: "wgangp-fashion"),
        ["dcgan-emoji"] = new(Data: "emoji:google", Arch: "dcgan", Loss: AdversarialLoss.NonSaturating, Size: 32, Gray: false,
            Width: 32, Latent: 64, Steps: 3000, Batch: 64, Description: "dcgan-emoji"),
        // Karras et al. 2019 at CPU size: non-saturating loss with R1 (γ 10, lazy every 16), Adam β (0, 0.99), mapping
        // lr ×0.01, style mixing 0.9; widths capped at 128 (128, 64, 32, 16 at 4–32 px), z = w = 128.
        ["stylegan-emoji"] = new(Data: "emoji:google", Arch: "stylegan", Loss: AdversarialLoss.NonSaturating, Size: 32, Gray: false,
            Width: 128, Latent: 128, Steps: 6000, Batch: 32, LearningRate: 0.0015, Beta1: 0, Beta2: 0.99, R1Gamma: 10,
            SampleEvery: 500, CheckpointEvery: 1000, Description: "stylegan-emoji"),
        // Karras et al. 2020 (StyleGAN2: demodulation, skip generator, residual D) with DiffAugment (Zhao et al. 2020:
        // colour + translation + cutout on real and fake) for a small set, trained on the held-out-aware split of the Google
        // emoji. Widths 64, 64, 32, 16 at 4–32 px (CPU-sized: 1.5 steps/s on 2 idle cores); z = w = 128; Adam(0.002, 0, 0.99); lazy R1 γ 0.05 (the ADA heuristic
        // 0.0002·R²/batch gives 0.006 at 32 px, batch 32; a little more for stability on 1,719 images).
        ["stylegan2-emoji"] = new(Data: "emoji:google:train", Arch: "stylegan2", Loss: AdversarialLoss.NonSaturating, Size: 32, Gray: false,
            Width: 64, Latent: 128, Steps: 20000, Batch: 32, LearningRate: 0.002, Beta1: 0, Beta2: 0.99, R1Gamma: 0.05,
            SampleEvery: 500, CheckpointEvery: 500, Description: "stylegan2-emoji", Augment: "color,translation,cutout"),
        // The same StyleGAN on Fashion-MNIST, read at 32×32 (StyleGAN needs a power of two; the 28 px images are resized).
        ["stylegan-fashion"] = new(Data: "fashion-mnist", Arch: "stylegan", Loss: AdversarialLoss.NonSaturating, Size: 32, Gray: true,
            Width: 128, Latent: 128, Steps: 6000, Batch: 32, LearningRate: 0.0015, Beta1: 0, Beta2: 0.99, R1Gamma: 10,
            SampleEvery: 500, CheckpointEvery: 1000, Description: "stylegan-fashion"),
        ["wgangp-emoji"] = new(Data: "emoji:google", Arch: "dcgan", Loss: AdversarialLoss.WganGp, Size: 32, Gray: false,
            Width: 32, Latent: 64, Steps: 5000, Batch: 64, Description: "wgangp-emoji"),
        // A seconds-long smoke preset on the bundled samples (used by tests and the README).
        ["smoke"] = new(Data: "bundled:fashion-mnist", Arch: "dcgan", Loss: AdversarialLoss.NonSaturating, Size: 28, Gray: true,
            Width: 8, Latent: 16, Steps: 4, Batch: 16, SampleEvery: 2, CheckpointEvery: 2, Description: "smoke"),
    };

    /// <summary>The preset called <paramref name="name"/>, or a clear error listing the presets.</summary>
    public static GanTrainSettings Get(string name) => All.TryGetValue(name, out var p) ? p
        : throw new GanSharpException($"--preset {name}: unknown preset", "presets: " + string.Join(", ", All.Keys));
}
