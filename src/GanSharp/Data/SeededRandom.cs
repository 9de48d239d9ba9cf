namespace GanSharp.Data;

/// <summary>
/// A small deterministic PRNG (SplitMix64) for data order: shuffles, splits, unpaired draws.
/// </summary>
/// <remarks>
/// Chosen over <see cref="System.Random"/> because its output is defined here, bit for bit, by a published
/// algorithm (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), so the same
/// seed gives the same order on every runtime, OS and machine, and independent streams are derived cheaply with
/// <see cref="Derive"/> (e.g. one stream per epoch). <c>System.Random(seed)</c> is deterministic too, but its
/// seeded algorithm is a compatibility detail of the runtime rather than a contract. Not thread-safe; not for cryptography.
/// </remarks>
public sealed class SeededRandom
{
    ulong state;

    /// <summary>Creates a generator whose whole output is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => state = seed;

    /// <summary>A seed for an independent stream, derived from a parent seed and a stream number (e.g. the epoch).</summary>
    public static ulong Derive(ulong seed, ulong stream) => Mix(Mix(seed ^ 0x6A09E667F3BCC909UL) + stream * 0x9E3779B97F4A7C15UL);

    /// <summary>The SplitMix64 output function: a bijective 64-bit mixer.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>A uniform integer in <c>[0, bound)</c> without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "must be positive");
        ulong b = (ulong)bound;
        ulong threshold = (0UL - b) % b;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * b;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>A uniform double in <c>[0, 1)</c>.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniformly random permutation of <c>0..n-1</c>.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }
}
