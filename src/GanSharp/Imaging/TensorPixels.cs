using static TorchSharp.torch;

namespace GanSharp.Imaging;

/// <summary>Copies image tensors to host arrays with the checks every writer needs (rank, channels, finiteness).</summary>
internal static class TensorPixels
{
    /// <summary>
    /// The values of <paramref name="images"/> (<c>[C, H, W]</c> or <c>[N, C, H, W]</c>, C = 1 or 3) as float32 in
    /// NCHW order; throws when a value is NaN or infinite, naming <paramref name="what"/>.
    /// </summary>
    public static float[] ToArray(Tensor images, string what, out int n, out int c, out int h, out int w)
    {
        ArgumentNullException.ThrowIfNull(images);
        var shape = images.shape;
        if (shape.Length == 3) { n = 1; c = (int)shape[0]; h = (int)shape[1]; w = (int)shape[2]; }
        else if (shape.Length == 4) { n = (int)shape[0]; c = (int)shape[1]; h = (int)shape[2]; w = (int)shape[3]; }
        else throw new GanSharpException($"Cannot write {what}: expected an image tensor [C, H, W] or [N, C, H, W], got [{string.Join(", ", shape)}].");
        if (c is not (1 or 3)) throw new GanSharpException($"Cannot write {what}: images need 1 or 3 channels, got {c}.");
        if (n <= 0 || h <= 0 || w <= 0) throw new GanSharpException($"Cannot write {what}: the tensor [{string.Join(", ", shape)}] is empty.");
        using var scope = NewDisposeScope();
        var host = images.detach().to(CPU).to_type(ScalarType.Float32).contiguous(); // [N?, C, H, W]
        var data = host.data<float>().ToArray();
        int bad = 0;
        foreach (var v in data) if (!float.IsFinite(v)) bad++;
        if (bad > 0)
            throw new GanSharpException($"Cannot write {what}: the image tensor has {bad} NaN or infinite value(s) of {data.Length}.",
                "Training probably diverged; check the losses and the learning rate.");
        return data;
    }
}
