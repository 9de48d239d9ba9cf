namespace GanSharp.Methods.Inversion;

/// <summary>Where an inversion searches for the code of an image.</summary>
public enum LatentSpace
{
    /// <summary>The input noise z <c>[N, LatentSize]</c>, rendered as <c>Synthesize(Map(z))</c>.</summary>
    Z,

    /// <summary>The mapped style w <c>[N, StyleSize]</c> (equal to z for generators without a mapping network, e.g. DCGAN).</summary>
    W,

    /// <summary>One w per synthesis input, w+ <c>[N, StyleCount, StyleSize]</c> (Abdal, Qin, Wonka 2019); for DCGAN StyleCount is 1.</summary>
    WPlus,
}

/// <summary>Parsing and names of <see cref="LatentSpace"/>.</summary>
public static class LatentSpaces
{
    /// <summary>Parses z, w or wplus (also w+).</summary>
    public static LatentSpace Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "z" => LatentSpace.Z,
        "w" => LatentSpace.W,
        "wplus" or "w+" => LatentSpace.WPlus,
        _ => throw new GanSharpException($"latent space '{name}': use z, w or wplus"),
    };

    /// <summary>The command-line name: z, w or wplus.</summary>
    public static string Name(this LatentSpace space) => space switch
    {
        LatentSpace.Z => "z",
        LatentSpace.W => "w",
        _ => "wplus",
    };
}
