namespace GanSharp.Methods.Restoration;

/// <summary>How the GAN prior is used: one code per image, or mGANprior's composed codes.</summary>
public enum PriorMethod
{
    /// <summary>One code per image (<see cref="Inversion.GanInversion"/>).</summary>
    Single,

    /// <summary>N codes composed at a layer (<see cref="Inversion.MultiCodeInversion"/>).</summary>
    MultiCode,
}

/// <summary>Parsing of <see cref="PriorMethod"/>.</summary>
public static class PriorMethods
{
    /// <summary>Parses single or mganprior.</summary>
    public static PriorMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "single" => PriorMethod.Single,
        "mganprior" or "multi" => PriorMethod.MultiCode,
        _ => throw new GanSharpException($"--method {name}: use single or mganprior"),
    };

    /// <summary>The command-line name.</summary>
    public static string Name(this PriorMethod method) => method == PriorMethod.Single ? "single" : "mganprior";
}
