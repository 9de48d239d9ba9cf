using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Nn;

/// <summary>
/// U-GAT-IT's CAM attention: an auxiliary classifier on the global average- and max-pooled features (one linear unit
/// each, no bias) whose weights re-weight the feature maps, <c>x ⊙ w_gap</c> and <c>x ⊙ w_gmp</c>; the two are stacked,
/// mixed back to C channels by a 1×1 convolution and an activation, and summed over channels into the attention heat map.
/// The classifier's logits (domain source vs target, or real vs fake in D) feed the CAM loss.
/// </summary>
/// <remarks>Kim, Kim, Kang, Lee, "U-GAT-IT", ICLR 2020, §2.1.1 (generator) and §2.1.2 (discriminator); after Zhou et
/// al.'s class activation maps, CVPR 2016.</remarks>
public sealed class ClassActivationAttention : nn.Module<Tensor, (Tensor Output, Tensor Logits, Tensor HeatMap)>
{
    readonly Linear gapFc; // [C] -> 1
    readonly Linear gmpFc; // [C] -> 1
    readonly Conv2d mix;   // 2C -> C, 1x1
    readonly double slope;

    /// <summary>CAM over <paramref name="channels"/> channels; <paramref name="leakySlope"/> 0 gives ReLU (the generator), 0.2 leaky ReLU (the discriminator).</summary>
    public ClassActivationAttention(int channels, double leakySlope = 0, string name = "cam") : base(name)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "must be positive");
        Channels = channels;
        gapFc = nn.Linear(channels, 1, hasBias: false);
        gmpFc = nn.Linear(channels, 1, hasBias: false);
        mix = nn.Conv2d(2 * channels, channels, 1, bias: true);
        slope = leakySlope;
        RegisterComponents();
    }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>The average-pool classifier's weight <c>[1, C]</c>.</summary>
    public Tensor GapWeight => gapFc.weight!;

    /// <summary>The max-pool classifier's weight <c>[1, C]</c>.</summary>
    public Tensor GmpWeight => gmpFc.weight!;

    /// <summary>x <c>[N, C, H, W]</c> → (output <c>[N, C, H, W]</c>, CAM logits <c>[N, 2]</c>, heat map <c>[N, 1, H, W]</c>).</summary>
    public override (Tensor Output, Tensor Logits, Tensor HeatMap) forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Channels)
            throw new ArgumentException($"x must be [N, {Channels}, H, W], got [{string.Join(", ", x.shape)}]", nameof(x));
        using var scope = NewDisposeScope();
        var gapLogit = gapFc.call(x.mean(new long[] { 2, 3 }));                       // [N, 1]
        var gmpLogit = gmpFc.call(x.amax(new long[] { 2, 3 }));                        // [N, 1]
        var gapX = x * gapFc.weight!.reshape(1, Channels, 1, 1);                        // [N, C, H, W]
        var gmpX = x * gmpFc.weight!.reshape(1, Channels, 1, 1);
        var y = mix.call(cat(new[] { gapX, gmpX }, 1));                                  // [N, C, H, W]
        y = slope == 0 ? F.relu(y) : F.leaky_relu(y, slope);
        var heat = y.sum(new long[] { 1 }, keepdim: true);                              // [N, 1, H, W]
        var logits = cat(new[] { gapLogit, gmpLogit }, 1);                               // [N, 2]
        return (y.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope(), heat.MoveToOuterDisposeScope());
    }
}
