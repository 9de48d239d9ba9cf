using GanSharp.Checkpoints;
using GanSharp.Methods.Translation.CycleGan;
using GanSharp.Methods.Translation.UGatIt;
using GanSharp.Models;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation;

/// <summary>A loaded translator, what disposes it, its image shape, method name and the step of its checkpoint.</summary>
public sealed record LoadedTranslator(ITranslator Translator, IDisposable Owner, ImageShape Image, string Method, long Step) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() => Owner.Dispose();

    /// <summary>
    /// Translates <paramref name="images"/> [N, C, H, W] of any square or oblong size: images of another size than the
    /// translator's are resized to it and the translation back to theirs (bilinear), since a translator is trained at one
    /// size only. Clamped to [-1, 1].
    /// </summary>
    public Tensor TranslateAnySize(Tensor images, TranslationDirection direction)
    {
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        bool resize = h != Image.Height || w != Image.Width;
        var x = resize ? nn.functional.interpolate(images, new long[] { Image.Height, Image.Width }, mode: InterpolationMode.Bilinear, align_corners: false) : images;
        var y = Translator.Translate(x, direction).clamp(-1, 1);
        if (resize) y = nn.functional.interpolate(y, new[] { h, w }, mode: InterpolationMode.Bilinear, align_corners: false).clamp(-1, 1);
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>Opens a translation checkpoint of any method (CycleGAN, U-GAT-IT), so callers need not care which made it.</summary>
public static class Translators
{
    /// <summary>
    /// Loads <paramref name="checkpoint"/> (a checkpoint folder, a run folder or <c>latest</c>) onto <paramref name="device"/>;
    /// a checkpoint of a non-translation method is refused naming it.
    /// </summary>
    public static LoadedTranslator Load(string checkpoint, Device? device = null)
    {
        var point = Training.RunFolder.Resolve(Training.RunFolder.DefaultRoot, checkpoint);
        string method = CheckpointReader.Open(point.CheckpointPath, verify: false).Manifest.Method;
        switch (method)
        {
            case UGatItMethod.MethodName:
                var u = UGatItCheckpoint.Load(checkpoint, device);
                return new LoadedTranslator(u, u, u.Config.Image, method, u.Step);
            case CycleGanMethod.MethodName:
                var c = CycleGanCheckpoint.Load(checkpoint, device);
                return new LoadedTranslator(c, c, c.Config.Image, method, c.Step);
            default:
                throw new GanSharpException($"{checkpoint} is a '{method}' checkpoint, not a translator",
                    "use a checkpoint made by gansharp train translate (cyclegan or ugatit)");
        }
    }
}
