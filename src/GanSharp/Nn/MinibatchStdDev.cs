using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Nn;

/// <summary>
/// Appends one feature map holding the average standard deviation of the features across a group of samples:
/// <c>[N, C, H, W] → [N, C + 1, H, W]</c>. Groups are <c>min(GroupSize, N)</c> samples (reduced to a divisor of N), sample
/// <c>n</c> belonging to group <c>n mod (N / G)</c> as in the reference implementation.
/// </summary>
/// <remarks>
/// Karras, Aila, Laine, Lehtinen, "Progressive Growing of GANs", ICLR 2018, §3: it lets the discriminator see the
/// variation within a batch, which discourages mode collapse.
/// </remarks>
public sealed class MinibatchStdDev : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with groups of up to <paramref name="groupSize"/> samples.</summary>
    public MinibatchStdDev(int groupSize = 4, string name = "minibatch_stddev") : base(name)
    {
        if (groupSize <= 0) throw new ArgumentOutOfRangeException(nameof(groupSize), "must be positive");
        GroupSize = groupSize;
        RegisterComponents();
    }

    /// <summary>The largest group size.</summary>
    public int GroupSize { get; }

    /// <summary>Concatenates the group standard deviation as an extra channel.</summary>
    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long g = Math.Min(GroupSize, n);
        while (n % g != 0) g--;
        using var scope = NewDisposeScope();
        var y = x.reshape(g, n / g, c, h, w);                         // [G, M, C, H, W]
        y = y - y.mean(new long[] { 0 }, keepdim: true);
        var std = (y.square().mean(new long[] { 0 }) + 1e-8).sqrt();  // [M, C, H, W]
        var s = std.mean(new long[] { 1, 2, 3 }).reshape(-1, 1, 1, 1); // [M, 1, 1, 1]
        var map = s.repeat(g, 1, h, w);                               // [N, 1, H, W]
        return cat(new[] { x, map.to(x.dtype) }, 1).MoveToOuterDisposeScope();
    }
}
