using TorchSharp;
using static TorchSharp.torch;

namespace GanSharp.Methods.Translation.CycleGan;

/// <summary>
/// A history of generated images for the discriminator (CycleGAN's <c>ImagePool</c>): while it has fewer than
/// <see cref="Capacity"/> images, each query image is stored and returned unchanged; once full, each query image is,
/// with probability ½, swapped for a stored one picked uniformly at random (which is returned, the query taking its slot),
/// and otherwise returned unchanged. The images and the fill count are buffers, so a checkpoint holds the pool and a
/// resumed run continues with the same history; every draw comes from the caller's (checkpointed) random stream.
/// </summary>
/// <remarks>Shrivastava et al., "Learning from Simulated and Unsupervised Images through Adversarial Training", CVPR 2017, §2.3; Zhu et al., ICCV 2017, §4 (a buffer of 50 images).</remarks>
public sealed class ImageHistoryPool : nn.Module
{
    readonly Tensor images; // buffer [capacity, C, H, W]
    readonly Tensor filled; // buffer [1], int64: images stored so far

    /// <summary>Creates an empty pool of <paramref name="capacity"/> images of shape <c>[channels, height, width]</c> (0: pass-through).</summary>
    public ImageHistoryPool(int capacity, int channels, int height, int width, string name = "history_pool") : base(name)
    {
        if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must not be negative");
        Capacity = capacity;
        images = zeros(Math.Max(1, capacity), channels, height, width).DetachFromDisposeScope();
        filled = zeros(new long[] { 1 }, int64).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>Images the pool holds when full.</summary>
    public int Capacity { get; }

    /// <summary>Images stored so far (≤ <see cref="Capacity"/>).</summary>
    public int Count => (int)filled.cpu().item<long>();

    /// <summary>
    /// Returns one image per query image <c>[N, C, H, W]</c> (detached), updating the pool as described above; draws
    /// come from <paramref name="rng"/>.
    /// </summary>
    public Tensor Query(Tensor fakes, Generator rng)
    {
        var batch = fakes.detach();
        if (Capacity == 0) return batch;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = batch.shape[0];
        var coins = rand(new long[] { n }, generator: rng).data<float>().ToArray();        // [N]
        var picks = rand(new long[] { n }, generator: rng).data<float>().ToArray();        // [N]
        var rows = new List<Tensor>((int)n);
        int count = Count;
        for (int i = 0; i < n; i++)
        {
            var x = batch[i];                                                                          // [C, H, W]
            if (count < Capacity)
            {
                images[count].copy_(x);
                count++;
                rows.Add(x);
            }
            else if (coins[i] > 0.5f)
            {
                int slot = Math.Min(Capacity - 1, (int)(picks[i] * Capacity));
                rows.Add(images[slot].clone());
                images[slot].copy_(x);
            }
            else rows.Add(x);
        }
        filled.fill_(count);
        return stack(rows).MoveToOuterDisposeScope();                                                  // [N, C, H, W]
    }
}
