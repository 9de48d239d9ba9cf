using static TorchSharp.torch;

namespace GanSharp.Methods.Translation;

/// <summary>Which way an unpaired translator maps: domain A to B, or back.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<TranslationDirection>))]
public enum TranslationDirection
{
    /// <summary>A → B (CycleGAN's G).</summary>
    AToB,
    /// <summary>B → A (CycleGAN's F).</summary>
    BToA,
}

/// <summary>Parsing and naming of <see cref="TranslationDirection"/> (<c>a2b</c>, <c>b2a</c>).</summary>
public static class TranslationDirections
{
    /// <summary>Parses <c>a2b</c>/<c>atob</c>/<c>ab</c> or <c>b2a</c>/<c>btoa</c>/<c>ba</c> (any case).</summary>
    public static TranslationDirection Parse(string text) => text.Trim().ToLowerInvariant().Replace("-", "").Replace("_", "") switch
    {
        "a2b" or "atob" or "ab" => TranslationDirection.AToB,
        "b2a" or "btoa" or "ba" => TranslationDirection.BToA,
        _ => throw new GanSharpException($"direction '{text}': unknown", "use a2b or b2a"),
    };

    /// <summary><c>a2b</c> or <c>b2a</c>.</summary>
    public static string Name(this TranslationDirection direction) => direction == TranslationDirection.AToB ? "a2b" : "b2a";

    /// <summary>The other direction.</summary>
    public static TranslationDirection Reverse(this TranslationDirection direction) =>
        direction == TranslationDirection.AToB ? TranslationDirection.BToA : TranslationDirection.AToB;
}

/// <summary>An image-to-image translator between two domains.</summary>
public interface ITranslator
{
    /// <summary>
    /// Translates <paramref name="images"/> <c>[N, C, H, W]</c> in [-1, 1] in <paramref name="direction"/>; returns
    /// <c>[N, C, H, W]</c> in [-1, 1]. Runs without gradients, in eval mode.
    /// </summary>
    Tensor Translate(Tensor images, TranslationDirection direction);
}
