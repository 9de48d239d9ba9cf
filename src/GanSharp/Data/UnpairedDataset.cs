using static TorchSharp.torch;

namespace GanSharp.Data;

/// <summary>
/// Two unaligned domains for CycleGAN-style training: each step draws a batch from A and an independent batch
/// from B. An epoch has <c>max(|A|, |B|)</c> items per side; the smaller side is cycled (every item at least
/// once per epoch). Both sides are shuffled each epoch with different seeds derived from one seed, so the pairing
/// changes every epoch yet is the same on every run.
/// </summary>
/// <remarks>Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks", ICCV 2017.</remarks>
public sealed class UnpairedDataset
{
    /// <summary>Combines two domains; they may differ in size but must have the same image shape.</summary>
    public UnpairedDataset(IImageDataset a, IImageDataset b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0) throw new GanSharpException($"unpaired dataset: {(a.Count == 0 ? a.Name : b.Name)} is empty");
        if (a.Channels != b.Channels || a.Height != b.Height || a.Width != b.Width)
            throw new GanSharpException(
                $"unpaired dataset: {a.Name} is {a.Channels}x{a.Height}x{a.Width} but {b.Name} is {b.Channels}x{b.Height}x{b.Width}",
                "resize both domains to the same size and channel count");
        Count = Math.Max(a.Count, b.Count);
        A = Cycle(a, Count);
        B = Cycle(b, Count);
    }

    /// <summary>Items per side per epoch: the larger domain's size.</summary>
    public int Count { get; }

    /// <summary>Domain A, cycled to <see cref="Count"/> items.</summary>
    public IImageDataset A { get; }

    /// <summary>Domain B, cycled to <see cref="Count"/> items.</summary>
    public IImageDataset B { get; }

    /// <summary>
    /// Two shuffled loaders whose seeds derive from <paramref name="options"/>' seed (streams 1 and 2), so A and B
    /// are drawn independently. Step them together; save and seek both positions to resume.
    /// </summary>
    public (DataLoader A, DataLoader B) CreateLoaders(DataLoaderOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var a = options with { Shuffle = true, Seed = SeededRandom.Derive(options.Seed, 1) };
        var b = options with { Shuffle = true, Seed = SeededRandom.Derive(options.Seed, 2) };
        return (new DataLoader(A, a, device), new DataLoader(B, b, device));
    }

    static IImageDataset Cycle(IImageDataset d, int count) =>
        d.Count == count ? d : new Subset(d, Enumerable.Range(0, count).Select(i => i % d.Count), $"{d.Name}(cycled to {count})");
}
