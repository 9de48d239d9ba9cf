using System.Text.RegularExpressions;

namespace GanSharp.Tests.Platform;

/// <summary>
/// The library's layers, checked on the sources: the shared layers (the generator interfaces of <c>GanSharp.Models</c>,
/// data, losses, training, reports, …) depend on no method, and inversion does not depend on restoration (restoration is inversion with a degradation in the loss, so the
/// dependency runs the other way). A file names a namespace by a <c>using</c>, a qualified name in code or a
/// <c>cref</c>; a qualified name may be shortened by the namespaces the file is in (<c>Restoration.X</c> inside
/// <c>GanSharp.Methods.Inversion</c>).
/// </summary>
public class LayeringGuardTests
{
    /// <summary>The folders of <c>src/GanSharp</c> that every method builds on, so that none may name a method.</summary>
    static readonly string[] SharedLayers = { "Checkpoints", "Data", "Diagnostics", "IO", "Imaging", "Losses", "Metrics", "Models", "Nn", "Platform", "Reports", "Training" };

    /// <summary>A folder of <c>src/GanSharp</c> and a namespace its files must not name.</summary>
    public static TheoryData<string, string> Rules()
    {
        var rules = new TheoryData<string, string> { { "Methods/Inversion", "GanSharp.Methods.Restoration" } };
        foreach (var layer in SharedLayers) rules.Add(layer, "GanSharp.Methods");
        return rules;
    }

    static readonly Regex Namespace = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline | RegexOptions.Compiled);
    static readonly Regex Cref = new(@"cref=""([^""]*)""", RegexOptions.Compiled);

    /// <summary>The lines of <paramref name="source"/> that name <paramref name="forbidden"/> (or a type in it).</summary>
    internal static IReadOnlyList<string> References(string source, string forbidden)
    {
        var own = Namespace.Match(source) is { Success: true } m ? m.Groups[1].Value.Split('.') : Array.Empty<string>();
        var target = forbidden.Split('.');
        // The spellings that resolve to the forbidden namespace from inside the file's own: drop any leading
        // segments the two share (C# looks names up in every enclosing namespace).
        var spellings = new List<string> { forbidden };
        for (int k = 1; k < target.Length && k <= own.Length && own[k - 1] == target[k - 1]; k++)
            spellings.Add(string.Join('.', target[k..]));
        var named = new Regex(@"(?<![\w.])(global::)?(" + string.Join('|', spellings.Select(Regex.Escape)) + @")\s*[.;]", RegexOptions.Compiled);

        var found = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            var code = comment < 0 ? line : line[..comment];
            var crefs = comment < 0 ? "" : string.Join(' ', Cref.Matches(line[comment..]).Select(c => c.Groups[1].Value + "."));
            if (named.IsMatch(code) || named.IsMatch(crefs)) found.Add(line.Trim());
        }
        return found;
    }

    [Fact]
    public void TheGuardFindsEveryWayOfNamingANamespace()
    {
        const string inInversion = "namespace GanSharp.Methods.Inversion;\n";
        Assert.Single(References("using GanSharp.Methods.Restoration;\n" + inInversion, "GanSharp.Methods.Restoration"));
        Assert.Single(References(inInversion + "var d = new Restoration.InpaintDegradation(mask);", "GanSharp.Methods.Restoration"));
        Assert.Single(References(inInversion + "var d = new global::GanSharp.Methods.Restoration.InpaintDegradation(mask);", "GanSharp.Methods.Restoration"));
        Assert.Single(References(inInversion + "/// <summary>See <see cref=\"Methods.Restoration.GanRestoration\"/>.</summary>", "GanSharp.Methods.Restoration"));
        Assert.Single(References("namespace GanSharp.Models;\nusing GanSharp.Methods.Synthesis.Dcgan;", "GanSharp.Methods"));
        Assert.Single(References("namespace GanSharp.Models;\nDcganConfig c = Methods.Synthesis.Dcgan.DcganConfig.For(28, 1);", "GanSharp.Methods"));

        Assert.Empty(References(inInversion + "// restoration (GanSharp.Methods.Restoration) builds on this", "GanSharp.Methods.Restoration"));
        Assert.Empty(References(inInversion + "using GanSharp.Methods.RestorationExtras;", "GanSharp.Methods.Restoration"));
        Assert.Empty(References("namespace GanSharp.Data;\nvar r = Restoration.Value;", "GanSharp.Methods.Restoration"));
        Assert.Empty(References("namespace GanSharp.Models;\nvar n = options.Methods.Count;", "GanSharp.Methods"));
    }

    [Fact]
    public void EveryFolderBesideMethodsIsASharedLayer()
    {
        var folders = Directory.GetDirectories(Path.Combine(SourceTree.Root, "src", "GanSharp")).Select(Path.GetFileName)
            .Where(f => f is not ("Methods" or "bin" or "obj")).Order(StringComparer.Ordinal);
        Assert.Equal(SharedLayers.Order(StringComparer.Ordinal), folders); // a new folder must be placed on one side
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void NoSourceFileCrossesALayer(string folder, string forbidden)
    {
        var files = SourceTree.CsFiles(Path.Combine("src", "GanSharp", folder));
        Assert.NotEmpty(files);
        var bad = files.SelectMany(f => References(File.ReadAllText(f), forbidden).Select(v => $"{SourceTree.Relative(f)}: {v}")).ToList();
        Assert.True(bad.Count == 0, $"src/GanSharp/{folder} must not depend on {forbidden}:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void MethodFamiliesDependOnEachOtherWithoutACycle()
    {
        string methods = Path.Combine(SourceTree.Root, "src", "GanSharp", "Methods");
        var families = Directory.GetDirectories(methods).Select(d => Path.GetFileName(d)!).ToArray();
        Assert.Contains("Synthesis", families);
        var sources = families.ToDictionary(f => f, f => SourceTree.CsFiles(Path.Combine("src", "GanSharp", "Methods", f)).Select(File.ReadAllText).ToArray());
        var uses = families.ToDictionary(f => f, f => families.Where(o => o != f && sources[f].Any(src => References(src, "GanSharp.Methods." + o).Count > 0)).ToArray());

        // Depth-first search; a family met again while still on the path closes a cycle.
        var done = new HashSet<string>();
        var path = new List<string>();
        string? Cycle(string family)
        {
            int at = path.IndexOf(family);
            if (at >= 0) return string.Join(" → ", path.Skip(at).Append(family));
            if (!done.Add(family)) return null;
            path.Add(family);
            var found = uses[family].Select(Cycle).FirstOrDefault(c => c != null);
            path.RemoveAt(path.Count - 1);
            return found;
        }
        var cycle = families.Select(Cycle).FirstOrDefault(c => c != null);
        Assert.True(cycle == null, $"method families depend on each other in a cycle: {cycle}");
    }
}
