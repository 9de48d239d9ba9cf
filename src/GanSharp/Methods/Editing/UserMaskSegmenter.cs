using System.Globalization;
using GanSharp.Imaging;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Methods.Editing;

/// <summary>
/// Concept masks painted by a user on dissection samples: a folder with one subfolder per sample, named by the sample's
/// index (<c>0</c>, <c>17</c>, …, the order of <c>gansharp dissect --export-samples</c>), holding one mask PNG per
/// concept (<c>eyes.png</c>, <c>hat.png</c>; white = concept). A concept without a file in a sample folder is absent
/// from that sample; samples without a folder are left out of the statistics. Masks of another size are resized
/// (nearest neighbour) to the image size.
/// </summary>
public sealed class UserMaskSegmenter : ISegmenter
{
    readonly Dictionary<int, string> folders;

    /// <summary>Reads the layout of <paramref name="folder"/>; refuses a folder without sample subfolders or masks.</summary>
    public UserMaskSegmenter(string folder)
    {
        if (!Directory.Exists(folder)) throw new GanSharpException($"concept mask folder '{folder}' does not exist");
        folders = new Dictionary<int, string>();
        var concepts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var sub in Directory.GetDirectories(folder))
        {
            if (!int.TryParse(Path.GetFileName(sub), NumberStyles.None, CultureInfo.InvariantCulture, out int index)) continue;
            var masks = Directory.GetFiles(sub, "*.png");
            if (masks.Length == 0) continue;
            folders[index] = sub;
            foreach (var m in masks) concepts.Add(Path.GetFileNameWithoutExtension(m));
        }
        if (folders.Count == 0)
            throw new GanSharpException($"concept mask folder '{folder}' has no sample subfolders with masks",
                "layout: FOLDER/<sample index>/<concept>.png, e.g. masks/3/eyes.png (sample indices from `gansharp dissect --export-samples`)");
        Concepts = concepts.ToArray();
        Folder = folder;
    }

    /// <summary>The mask folder.</summary>
    public string Folder { get; }

    /// <summary>The sample indices that have masks, ascending.</summary>
    public IReadOnlyList<int> SampleIndices => folders.Keys.Order().ToArray();

    /// <inheritdoc />
    public string Name => "user-masks";

    /// <inheritdoc />
    public bool ReadsImages => false;

    /// <inheritdoc />
    public IReadOnlyList<string> Concepts { get; }

    /// <inheritdoc />
    public Tensor Segment(Tensor images, IReadOnlyList<int> sampleIndices, out bool[] known)
    {
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        known = new bool[n];
        using var scope = NewDisposeScope();
        var result = zeros(new long[] { n, Concepts.Count, h, w });
        for (int i = 0; i < n; i++)
        {
            if (!folders.TryGetValue(sampleIndices[i], out var sub)) continue;
            known[i] = true;
            for (int k = 0; k < Concepts.Count; k++)
            {
                var path = Path.Combine(sub, Concepts[k] + ".png");
                if (!File.Exists(path)) continue;
                var mask = MaskReader.Read(path).unsqueeze(0);                                // [1, 1, H', W']
                if (mask.shape[2] != h || mask.shape[3] != w)
                    mask = F.interpolate(mask, new long[] { h, w }, mode: InterpolationMode.Nearest);
                result[i, k] = mask[0, 0];
            }
        }
        return result.to(images.device).MoveToOuterDisposeScope();
    }
}
