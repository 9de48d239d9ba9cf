namespace GanSharp.Methods.Inversion;

/// <summary>Options of mGANprior (<see cref="MultiCodeInversion"/>) on top of the shared <see cref="InversionOptions"/>.</summary>
/// <param name="Codes">N, the latent codes per image (the paper uses 30; 10 keeps CPU runs short and is past most of the gain on 28 px).</param>
/// <param name="Layer">ℓ, the synthesis layer whose features are composed (see <see cref="Models.IGenerator.FeaturesAt"/>); null for the middle layer <c>LayerCount / 2</c>.</param>
public sealed record MultiCodeOptions(int Codes = 10, int? Layer = null)
{
    /// <summary>The paper's number of codes.</summary>
    public const int PaperCodes = 30;

    /// <summary>The paper's optimisation steps.</summary>
    public const int PaperSteps = 3000;

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this.</summary>
    public MultiCodeOptions Validate(Models.IGenerator g)
    {
        if (Codes is < 1 or > 256) throw new GanSharpException($"mGANprior: --codes {Codes}; must be 1..256");
        int layer = ResolveLayer(g);
        if (layer < 0 || layer >= g.LayerCount)
            throw new GanSharpException($"mGANprior: --layer {layer}; this generator's layers are 0..{g.LayerCount - 1}");
        return this;
    }

    /// <summary>The layer used with <paramref name="g"/>.</summary>
    public int ResolveLayer(Models.IGenerator g) => Layer ?? g.LayerCount / 2;
}
