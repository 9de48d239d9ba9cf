namespace GanSharp.Data;

/// <summary>An emoji image set from the <c>emoji-datasource-&lt;style&gt;</c> npm packages.</summary>
public enum EmojiStyle
{
    /// <summary>Google's Noto Emoji (Apache-2.0).</summary>
    Google,

    /// <summary>Twitter's Twemoji (CC-BY-4.0).</summary>
    Twitter,
}

/// <summary>Names, folders and licence credits of <see cref="EmojiStyle"/>.</summary>
public static class EmojiStyles
{
    /// <summary>The lower-case style name used in package names, folders and <c>has_img_&lt;style&gt;</c> keys.</summary>
    public static string Key(this EmojiStyle style) => style switch
    {
        EmojiStyle.Google => "google",
        EmojiStyle.Twitter => "twitter",
        _ => throw new GanSharpException($"Unknown emoji style {(int)style}."),
    };

    /// <summary>The npm package, e.g. <c>emoji-datasource-google</c>.</summary>
    public static string PackageName(this EmojiStyle style) => "emoji-datasource-" + style.Key();

    /// <summary>Parses <c>google</c> or <c>twitter</c> (case-insensitive; <c>twemoji</c> and <c>noto</c> accepted too).</summary>
    public static EmojiStyle Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "google" or "noto" => EmojiStyle.Google,
        "twitter" or "twemoji" => EmojiStyle.Twitter,
        _ => throw new GanSharpException($"Unknown emoji style '{text}'.", "Use google or twitter."),
    };

    /// <summary>The attribution to show wherever these images (or models trained on them) are shown.</summary>
    public static string Credit(this EmojiStyle style) => style switch
    {
        EmojiStyle.Google => "Emoji images: Noto Emoji, Copyright Google Inc., Apache License 2.0 (https://github.com/googlefonts/noto-emoji); packaged by emoji-datasource-google " + EmojiFetcher.Version + " (MIT).",
        EmojiStyle.Twitter => "Emoji images: Twemoji, Copyright Twitter, Inc. and other contributors, CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/); packaged by emoji-datasource-twitter " + EmojiFetcher.Version + " (MIT).",
        _ => throw new GanSharpException($"Unknown emoji style {(int)style}."),
    };
}
