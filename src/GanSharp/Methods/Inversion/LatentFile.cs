using System.Text.Json;
using System.Text.Json.Serialization;
using GanSharp.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Inversion;

/// <summary>The JSON half of a latent file (<see cref="LatentFile"/>).</summary>
/// <param name="Format">Always <see cref="LatentFile.FormatName"/>.</param>
/// <param name="Version">Format version (1).</param>
/// <param name="Space">z, w or wplus.</param>
/// <param name="Method">single, mganprior, encoder, hybrid or padinv (encoder, hybrid and padinv codes are single codes; padinv adds "padding0".. tensors, the coefficients <c>[N, R, 4, L]</c> of each padded layer).</param>
/// <param name="Shape">The codes' shape: <c>[N, ...]</c> (single) or <c>[N, codes, ...]</c> (mGANprior).</param>
/// <param name="Layer">The mGANprior composition layer; null for single codes.</param>
/// <param name="Generator">The generator checkpoint the codes belong to.</param>
/// <param name="Images">The source image of each row.</param>
/// <param name="Tensors">File names (beside the JSON) of the TorchSharp tensor files: "codes", and "alphas" for mGANprior.</param>
/// <param name="Sha256">SHA-256 (hex) of each tensor file by key, checked by <see cref="LatentFile.Read"/>; null in files of older versions.</param>
public sealed record LatentFileInfo(string Format, int Version, string Space, string Method, long[] Shape, int? Layer, string Generator,
    IReadOnlyList<string> Images, IReadOnlyDictionary<string, string> Tensors, IReadOnlyDictionary<string, string>? Sha256 = null);

/// <summary>
/// Inverted codes on disk: <c>NAME.json</c> (<see cref="LatentFileInfo"/>: space, method, shape, generator, images) and one
/// TorchSharp tensor file per tensor (<c>NAME.codes.pt</c>, and <c>NAME.alphas.pt</c> for mGANprior), written with
/// <c>Tensor.Save(BinaryWriter)</c> (TorchSharp's own format, float32, CPU). A sampler loads the codes with
/// <see cref="Read"/> and renders single codes with <see cref="LatentCodes.Render"/> (or mGANprior codes with
/// <see cref="MultiCodeInversion.Compose"/>).
/// </summary>
public static class LatentFile
{
    /// <summary>The <see cref="LatentFileInfo.Format"/> value.</summary>
    public const string FormatName = "gansharp-latents";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Writes <paramref name="tensors"/> and the JSON (<paramref name="jsonPath"/>, ending in .json) atomically; returns the JSON path.</summary>
    public static string Write(string jsonPath, LatentFileInfo info, IReadOnlyDictionary<string, Tensor> tensors)
    {
        if (!jsonPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) throw new GanSharpException($"latent file {jsonPath}: must end in .json");
        var folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath))!;
        var stem = Path.GetFileNameWithoutExtension(jsonPath);
        var names = new Dictionary<string, string>();
        var hashes = new Dictionary<string, string>();
        foreach (var (key, t) in tensors)
        {
            var name = $"{stem}.{key}.pt";
            using var cpu = t.detach().to(float32, CPU).contiguous();
            AtomicFile.Write(Path.Combine(folder, name), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                cpu.Save(writer);
            });
            names[key] = name;
            hashes[key] = HashOf(Path.Combine(folder, name));
        }
        AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(info with { Tensors = names, Sha256 = hashes }, Json));
        return jsonPath;
    }

    static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Reads a latent file: the info and its tensors (float32, CPU); tensor files are checked against their SHA-256 when the JSON records one.</summary>
    public static (LatentFileInfo Info, IReadOnlyDictionary<string, Tensor> Tensors) Read(string jsonPath)
    {
        if (!File.Exists(jsonPath)) throw new GanSharpException($"latent file {jsonPath}: not found");
        LatentFileInfo info;
        try
        {
            info = JsonSerializer.Deserialize<LatentFileInfo>(File.ReadAllText(jsonPath), Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new GanSharpException($"latent file {jsonPath}: not valid JSON ({e.Message})");
        }
        if (info.Format != FormatName) throw new GanSharpException($"latent file {jsonPath}: format '{info.Format}', expected '{FormatName}'");
        var folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath))!;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (key, name) in info.Tensors)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) throw new GanSharpException($"latent file {jsonPath}: tensor file {name} is missing");
            if (info.Sha256 is { } sums && sums.TryGetValue(key, out var expected) && !string.Equals(HashOf(path), expected, StringComparison.OrdinalIgnoreCase))
                throw new GanSharpException($"latent file {jsonPath}: tensor file {name} does not match its SHA-256 (changed or damaged since it was written)",
                    "invert the images again to rewrite the latents");
            try
            {
                using var stream = File.OpenRead(path);
                using var reader = new BinaryReader(stream);
                tensors[key] = Tensor.Load(reader);
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or FormatException)
            {
                throw new GanSharpException($"latent file {jsonPath}: tensor file {name} cannot be read ({(e is EndOfStreamException ? "truncated" : e.Message)})",
                    "invert the images again to rewrite the latents");
            }
        }
        if (tensors.TryGetValue("codes", out var codes) && !codes.shape.SequenceEqual(info.Shape))
            throw new GanSharpException($"latent file {jsonPath}: codes are [{string.Join(", ", codes.shape)}] but the JSON says [{string.Join(", ", info.Shape)}]");
        return (info, tensors);
    }

    /// <summary>
    /// Renders the codes of a latent file with <paramref name="g"/> (no graph): single codes (single, encoder, hybrid)
    /// with <see cref="LatentCodes.Render"/>, mGANprior codes with <see cref="MultiCodeInversion.Compose"/>. Noise maps are
    /// not stored: <paramref name="noise"/> gives them (e.g. <see cref="Models.GeneratorExtensions.SampleNoise"/> from a
    /// seeded stream); null draws fresh ones. PadInv codes are refused: their padding needs the
    /// PadInv encoder's mixing matrices.
    /// </summary>
    /// <returns>// [N, C, H, W]</returns>
    public static Tensor Render(Models.IGenerator g, LatentFileInfo info, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<Tensor>? noise = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        var space = LatentSpaces.Parse(info.Space);
        if (!tensors.TryGetValue("codes", out var codes)) throw new GanSharpException("latent file: no codes tensor");
        var device = g.MeanLatent.device;
        using var _ = no_grad();
        switch (info.Method)
        {
            case "single" or "encoder" or "hybrid":
                return LatentCodes.Render(g, space, LatentCodes.CheckStart(g, space, codes, codes.shape[0], device), noise);
            case "mganprior":
            {
                if (!tensors.TryGetValue("alphas", out var alphas) || info.Layer is not int layer)
                    throw new GanSharpException("latent file: mGANprior codes need their alphas and layer");
                if (layer < 0 || layer >= g.LayerCount) throw new GanSharpException($"latent file: layer {layer}, but the generator has layers 0..{g.LayerCount - 1}");
                var expected = LatentCodes.Shape(g, space, 1).Skip(1);
                if (codes.dim() < 3 || !codes.shape.Skip(2).SequenceEqual(expected))
                    throw new GanSharpException($"latent file: codes [{string.Join(", ", codes.shape)}] do not fit this generator's {info.Space} codes [{string.Join(", ", expected)}]");
                return MultiCodeInversion.Compose(g, space, layer, codes.to(device), alphas.to(device), noise);
            }
            case "padinv":
                throw new GanSharpException("latent file: PadInv codes need the PadInv encoder's padding values to render", "use gansharp invert --method padinv to reconstruct, or gansharp blend");
            default:
                throw new GanSharpException($"latent file: unknown method '{info.Method}'");
        }
    }
}
