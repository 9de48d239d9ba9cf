using System.Text.Json;

namespace GanSharp.Data;

/// <summary>One emoji image from <c>emoji.json</c>: a base emoji or one of its skin-tone variations.</summary>
/// <param name="Unified">Code points in upper-case hex joined by '-', e.g. <c>1F385</c> or <c>1F385-1F3FB</c>.</param>
/// <param name="Name">The Unicode name (or the short name when the name is missing), e.g. <c>FATHER CHRISTMAS</c>.</param>
/// <param name="ShortName">The short name, e.g. <c>santa</c>.</param>
/// <param name="Category">The category, e.g. <c>People &amp; Body</c>.</param>
/// <param name="Subcategory">The subcategory, e.g. <c>person-fantasy</c>.</param>
/// <param name="Image">The image file name, e.g. <c>1f385.png</c>.</param>
/// <param name="SortOrder">The package's sort order (of the base emoji).</param>
/// <param name="BaseUnified">For a skin variation the base emoji's <see cref="Unified"/>; null for a base emoji.</param>
/// <param name="Styles">Lower-case style keys (<c>google</c>, <c>twitter</c>, …) that have an image for this emoji.</param>
public sealed record EmojiEntry(string Unified, string Name, string ShortName, string Category, string Subcategory, string Image,
    int SortOrder, string? BaseUnified, IReadOnlySet<string> Styles)
{
    /// <summary>True for a skin-tone variation.</summary>
    public bool IsSkinVariation => BaseUnified != null;

    /// <summary>True when <paramref name="style"/> has an image for this emoji.</summary>
    public bool HasImage(EmojiStyle style) => Styles.Contains(style.Key());
}

/// <summary>Reads <c>emoji.json</c> of an emoji-datasource package.</summary>
public static class EmojiCatalog
{
    /// <summary>Every entry of <paramref name="emojiJsonPath"/>, skin variations after their base, in file order.</summary>
    public static IReadOnlyList<EmojiEntry> Load(string emojiJsonPath)
    {
        if (!File.Exists(emojiJsonPath))
            throw new GanSharpException($"Emoji catalogue not found: '{emojiJsonPath}'.", "Point at the package folder that holds emoji.json and img/.");
        try
        {
            using var stream = File.OpenRead(emojiJsonPath);
            using var doc = JsonDocument.Parse(stream);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("the top level is not an array");
            var result = new List<EmojiEntry>();
            int index = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                index++;
                string unified = Required(e, "unified", index).ToUpperInvariant();
                string shortName = Optional(e, "short_name") ?? unified.ToLowerInvariant();
                string name = Optional(e, "name") ?? shortName;
                string category = Optional(e, "category") ?? "Uncategorized";
                string subcategory = Optional(e, "subcategory") ?? "";
                int sort = e.TryGetProperty("sort_order", out var so) && so.ValueKind == JsonValueKind.Number ? so.GetInt32() : int.MaxValue;
                result.Add(new EmojiEntry(unified, name, shortName, category, subcategory, Required(e, "image", index), sort, null, Styles(e)));
                if (e.TryGetProperty("skin_variations", out var skins) && skins.ValueKind == JsonValueKind.Object)
                    foreach (var skin in skins.EnumerateObject())
                        result.Add(new EmojiEntry(Required(skin.Value, "unified", index).ToUpperInvariant(), $"{name}: {skin.Name}", $"{shortName}:{skin.Name.ToLowerInvariant()}",
                            category, subcategory, Required(skin.Value, "image", index), sort, unified, Styles(skin.Value)));
            }
            return result;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            throw new GanSharpException($"Emoji catalogue '{emojiJsonPath}' cannot be read: {e.Message}", "Re-fetch the package (delete its cache folder).", e);
        }
    }

    static string Required(JsonElement e, string key, int index) =>
        Optional(e, key) ?? throw new JsonException($"entry {index} has no '{key}'");

    static string? Optional(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static IReadOnlySet<string> Styles(JsonElement e)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
            if (p.Name.StartsWith("has_img_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.True)
                set.Add(p.Name["has_img_".Length..]);
        return set;
    }
}
