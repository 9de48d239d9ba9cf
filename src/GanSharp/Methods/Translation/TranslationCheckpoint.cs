using GanSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation;

/// <summary>What every translation method's checkpoint loader does: resolve, verify the method, load G_AB and G_BA for use.</summary>
internal static class TranslationCheckpoint
{
    /// <summary>
    /// Opens and verifies <paramref name="checkpoint"/> (a checkpoint folder, a run folder — its latest checkpoint — or
    /// <c>latest</c>); a checkpoint of another method than <paramref name="method"/> is refused naming both.
    /// </summary>
    public static CheckpointReader Open(string checkpoint, string method, string label, string hint)
    {
        var point = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint);
        var reader = CheckpointReader.Open(point.CheckpointPath);
        if (reader.Manifest.Method != method)
            throw new GanSharpException($"{checkpoint} is a '{reader.Manifest.Method}' checkpoint, not a {label} one", hint);
        return reader;
    }

    /// <summary>Builds G_AB and G_BA with <paramref name="create"/>(name) and loads their weights onto <paramref name="device"/>, in eval mode.</summary>
    public static (T AB, T BA) LoadGenerators<T>(CheckpointReader reader, Func<string, T> create, Device device) where T : nn.Module
    {
        var ab = create("g_ab");
        var ba = create("g_ba");
        reader.LoadModule("g_ab", ab, device);
        reader.LoadModule("g_ba", ba, device);
        ab.eval();
        ba.eval();
        return (ab, ba);
    }
}
