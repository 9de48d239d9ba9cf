using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GanSharp.Data;

/// <summary>A batch prepared in managed memory (pooled arrays) before it becomes tensors on the consumer thread.</summary>
sealed class HostBatch
{
    public required LoaderPosition Position { get; init; }
    public int[] Indices { get; init; } = Array.Empty<int>();
    public float[] Pixels { get; init; } = Array.Empty<float>();   // [N * C * H * W], possibly longer (pooled)
    public long[] Labels { get; init; } = Array.Empty<long>();     // [N]
    public ExceptionDispatchInfo? Error { get; init; }
}

/// <summary>Pool of pixel arrays of one size, shared by the prefetch thread and the consumer.</summary>
sealed class PixelPool(int length, int maxKept)
{
    readonly ConcurrentBag<float[]> bag = new();

    public float[] Rent() => bag.TryTake(out var a) ? a : new float[length];

    public void Return(float[] array)
    {
        if (array.Length == length && bag.Count < maxKept) bag.Add(array);
    }
}
