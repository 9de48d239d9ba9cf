namespace GanSharp.Data;

/// <summary>
/// GanSharp's fixed held-out split of the emoji sets, by code point, so that no model is trained on the emoji it is
/// measured on: take the base emoji that have an image in both the Google and the Twitter style (the two styles
/// GanSharp pairs), sort their <see cref="EmojiEntry.Unified"/> strings in ordinal order, and hold out every one whose
/// 0-based rank is a multiple of 10. With emoji-datasource 16.0.0 that is 192 of 1,911 code points held out, 1,719 for
/// training. Skin-tone variations follow their base emoji.
/// </summary>
public static class EmojiSplit
{
    /// <summary>Every <see cref="Modulus"/>-th shared code point (rank 0, 10, 20, …) is held out.</summary>
    public const int Modulus = 10;

    /// <summary>The held-out code points of <paramref name="catalog"/> (a full <c>emoji.json</c>), in ordinal order.</summary>
    public static IReadOnlyList<string> HeldOutCodePoints(IEnumerable<EmojiEntry> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var shared = catalog
            .Where(e => !e.IsSkinVariation && e.HasImage(EmojiStyle.Google) && e.HasImage(EmojiStyle.Twitter))
            .Select(e => e.Unified).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return shared.Where((_, rank) => rank % Modulus == 0).ToArray();
    }

    /// <summary>True when <paramref name="entry"/> (or, for a skin variation, its base) is held out.</summary>
    public static bool IsHeldOut(EmojiEntry entry, IReadOnlySet<string> heldOut) =>
        heldOut.Contains(entry.BaseUnified ?? entry.Unified);

    /// <summary>
    /// The part of <paramref name="dataset"/> on the given side of the split: <see cref="DatasetSplit.Train"/> keeps the
    /// emoji that are not held out, <see cref="DatasetSplit.Test"/> (spelled <c>heldout</c> in dataset specs) the held-out ones.
    /// </summary>
    public static EmojiDataset Apply(EmojiDataset dataset, DatasetSplit split, IEnumerable<EmojiEntry> fullCatalog)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var heldOut = HeldOutCodePoints(fullCatalog).ToHashSet(StringComparer.Ordinal);
        if (heldOut.Count == 0) throw new GanSharpException($"{dataset.Name}: the emoji catalog names no code point with both a Google and a Twitter image, so there is no held-out split");
        bool wantHeldOut = split == DatasetSplit.Test;
        var picked = dataset.Entries.Where(e => IsHeldOut(e, heldOut) == wantHeldOut).Select(e => e.Unified).ToArray();
        if (picked.Length == 0) throw new GanSharpException($"{dataset.Name}: no emoji on the {Key(split)} side of the split");
        return dataset.Select(picked, Key(split));
    }

    /// <summary>The word used in dataset specs: <c>train</c> or <c>heldout</c>.</summary>
    public static string Key(DatasetSplit split) => split == DatasetSplit.Train ? "train" : "heldout";
}
