using System.CommandLine;
using GanSharp.Imaging;

namespace GanSharp.Cli;

/// <summary><c>--shard K/N</c>, for the verbs that process a folder of images.</summary>
public static class ShardOption
{
    /// <summary>A new <c>--shard</c> option.</summary>
    public static Option<string?> Create() => new("--shard")
    {
        Description = "Process only the images at positions ≡ K (mod N) of the sorted input (K/N, 0 ≤ K < N), so N jobs can share a folder; per-image outputs merge by name, summaries get a -shardKofN suffix",
    };

    /// <summary>The parsed shard (the whole input when the option is absent).</summary>
    public static Shard Read(ParseResult parse, Option<string?> option) => Shard.Parse(parse.GetValue(option));
}
