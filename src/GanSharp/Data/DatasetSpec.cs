using System.Globalization;

namespace GanSharp.Data;

/// <summary>The kinds of dataset a <see cref="DatasetSpec"/> can name.</summary>
public enum DatasetKind
{
    /// <summary>Fashion-MNIST from its IDX files (<c>fashion-mnist[:train|test][:CLASS]</c>).</summary>
    FashionMnist,

    /// <summary>A folder of images (<c>folder:PATH</c>).</summary>
    Folder,

    /// <summary>An emoji set of one vendor (<c>emoji:VENDOR</c>).</summary>
    Emoji,

    /// <summary>The sample photographs of scikit-image (<c>photos</c>), GanSharp's out-of-domain inputs.</summary>
    Photos,
}

/// <summary>
/// A parsed dataset request such as <c>fashion-mnist</c>, <c>fashion-mnist:7</c>, <c>fashion-mnist:test:sneaker</c>,
/// <c>folder:/data/faces</c> or <c>emoji:google</c>. Parsing only describes the request; a resolver maps it to a dataset.
/// </summary>
/// <param name="Kind">Which kind of dataset.</param>
/// <param name="Argument">The kind's argument: the folder path, or the emoji vendor; null for Fashion-MNIST.</param>
/// <param name="Split">Train or test where the dataset has a fixed partition; null: the kind's default (train).</param>
/// <param name="Class">Keep only this class label; null keeps all.</param>
public sealed record DatasetSpec(DatasetKind Kind, string? Argument = null, DatasetSplit? Split = null, int? Class = null)
{
    /// <summary>The accepted forms, for help texts and error hints.</summary>
    public const string Forms = "fashion-mnist[:train|test][:CLASS], folder:PATH, emoji:VENDOR[:train|heldout], photos";

    /// <summary>Parses and validates <paramref name="text"/>; a malformed spec is a <see cref="GanSharpException"/>.</summary>
    public static DatasetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        if (s.Length == 0) throw Error(text, "empty dataset spec");
        int colon = s.IndexOf(':');
        string kindText = (colon < 0 ? s : s[..colon]).ToLowerInvariant();
        string? rest = colon < 0 ? null : s[(colon + 1)..];
        var spec = Parsers.TryGetValue(kindText, out var parse) ? parse(text, rest) : throw Error(text, $"unknown dataset kind '{kindText}'");
        try { return spec.Validate(); }
        catch (GanSharpException e) { throw Error(text, e.Message); }
    }

    /// <summary>The parser of each kind name (the text before the first ':'), given the whole text and the rest after the colon.</summary>
    static readonly Dictionary<string, Func<string, string?, DatasetSpec>> Parsers = new(StringComparer.Ordinal)
    {
        ["fashion-mnist"] = ParseFashionMnist,
        ["fashionmnist"] = ParseFashionMnist,
        ["fmnist"] = ParseFashionMnist,
        ["folder"] = (_, rest) => new DatasetSpec(DatasetKind.Folder, rest),   // the whole rest is the path (it may contain ':')
        ["emoji"] = ParseEmoji,
        ["photos"] = (text, rest) => rest is null ? new DatasetSpec(DatasetKind.Photos) : throw Error(text, "photos takes no argument"),
    };

    /// <summary>Whether <paramref name="text"/> starts with a dataset kind this parser knows (its text before the first ':').</summary>
    public static bool StartsWithKind(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int colon = s.IndexOf(':');
        return Parsers.ContainsKey((colon < 0 ? s : s[..colon]).ToLowerInvariant());
    }

    /// <summary>Parses <paramref name="text"/>, returning false (and an error message) instead of throwing.</summary>
    public static bool TryParse(string text, out DatasetSpec? spec, out string? error)
    {
        try
        {
            spec = Parse(text);
            error = null;
            return true;
        }
        catch (GanSharpException e)
        {
            spec = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Throws a <see cref="GanSharpException"/> describing the first inconsistency; returns this when valid.</summary>
    public DatasetSpec Validate()
    {
        switch (Kind)
        {
            case DatasetKind.FashionMnist:
                if (Argument != null) throw new GanSharpException("fashion-mnist takes no argument");
                if (Class is int c && (c < 0 || c >= FashionMnist.ClassNames.Count))
                    throw new GanSharpException($"fashion-mnist class {c} is out of range (0..{FashionMnist.ClassNames.Count - 1})");
                break;
            case DatasetKind.Folder:
                if (string.IsNullOrWhiteSpace(Argument)) throw new GanSharpException("folder: needs a path, e.g. folder:/data/faces");
                if (Split != null || Class != null) throw new GanSharpException("folder: takes a path only (no split or class)");
                break;
            case DatasetKind.Emoji:
                if (string.IsNullOrWhiteSpace(Argument)) throw new GanSharpException("emoji: needs a vendor, e.g. emoji:google");
                if (!Argument.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
                    throw new GanSharpException($"emoji vendor '{Argument}' must be letters, digits, '-' or '_'");
                if (Class != null) throw new GanSharpException("emoji: takes a vendor and optionally train or heldout (no class)");
                break;
            case DatasetKind.Photos:
                if (Argument != null || Split != null || Class != null) throw new GanSharpException("photos takes no argument, split or class");
                break;
            default:
                throw new GanSharpException($"unknown dataset kind {Kind}");
        }
        return this;
    }

    /// <summary>The canonical text form, which <see cref="Parse"/> reads back to an equal record.</summary>
    public override string ToString() => Kind switch
    {
        DatasetKind.FashionMnist => "fashion-mnist"
            + (Split is DatasetSplit sp ? ":" + (sp == DatasetSplit.Train ? "train" : "test") : "")
            + (Class is int c ? ":" + c.ToString(CultureInfo.InvariantCulture) : ""),
        DatasetKind.Folder => "folder:" + Argument,
        DatasetKind.Emoji => "emoji:" + Argument + (Split is DatasetSplit es ? ":" + EmojiSplit.Key(es) : ""),
        DatasetKind.Photos => "photos",
        _ => Kind.ToString(),
    };

    static DatasetSpec ParseFashionMnist(string text, string? rest)
    {
        DatasetSplit? split = null;
        int? cls = null;
        if (rest != null)
            foreach (string raw in rest.Split(':'))
            {
                string seg = raw.Trim().ToLowerInvariant();
                if (seg is "train" or "test")
                {
                    if (split != null) throw Error(text, "the split is given twice");
                    split = seg == "train" ? DatasetSplit.Train : DatasetSplit.Test;
                }
                else if (int.TryParse(seg, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || TryClassByName(seg, out n))
                {
                    if (cls != null) throw Error(text, "the class is given twice");
                    cls = n;
                }
                else throw Error(text, $"'{raw}' is neither a split (train, test) nor a class (0..9 or a class name)");
            }
        return new DatasetSpec(DatasetKind.FashionMnist, null, split, cls);
    }

    /// <summary>Matches class names loosely: case and punctuation are ignored (<c>sneaker</c>, <c>ankle-boot</c>, <c>tshirt-top</c>).</summary>
    static DatasetSpec ParseEmoji(string text, string? rest)
    {
        if (rest is null) return new DatasetSpec(DatasetKind.Emoji);
        var parts = rest.Split(':');
        if (parts.Length > 2) throw Error(text, "emoji takes a vendor and optionally a split: emoji:VENDOR[:train|heldout]");
        DatasetSplit? split = parts.Length == 1 ? null : parts[1].Trim().ToLowerInvariant() switch
        {
            "train" => DatasetSplit.Train,
            "heldout" or "held-out" => DatasetSplit.Test,
            _ => throw Error(text, $"'{parts[1]}' is not an emoji split (train, heldout)"),
        };
        return new DatasetSpec(DatasetKind.Emoji, parts[0].Trim().ToLowerInvariant(), split);
    }

    static bool TryClassByName(string seg, out int label)
    {
        string key = Normalize(seg);
        for (int i = 0; i < FashionMnist.ClassNames.Count; i++)
            if (key.Length > 0 && Normalize(FashionMnist.ClassNames[i]) == key) { label = i; return true; }
        label = -1;
        return false;
    }

    static string Normalize(string s) => new(s.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    static GanSharpException Error(string text, string problem) =>
        new($"dataset spec '{text}': {problem}", "forms: " + Forms);
}
