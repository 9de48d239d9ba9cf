namespace GanSharp.Tests.Platform;

/// <summary>The repository's C# sources, for the tests that scan them (seeded draws, namespace layering).</summary>
internal static class SourceTree
{
    /// <summary>The repository root (the folder above the bundled assets).</summary>
    internal static string Root => Path.GetFullPath(Path.Combine(Cli.DataCommandTests.Assets, ".."));

    /// <summary>Every <c>*.cs</c> file under the given folders of <see cref="Root"/>, build outputs excluded.</summary>
    internal static IReadOnlyList<string> CsFiles(params string[] folders) =>
        folders.Select(d => Path.Combine(Root, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();

    /// <summary><paramref name="file"/> relative to <see cref="Root"/>, for messages.</summary>
    internal static string Relative(string file) => Path.GetRelativePath(Root, file);
}
