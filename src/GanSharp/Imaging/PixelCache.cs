namespace GanSharp.Imaging;

/// <summary>A small thread-safe least-recently-used cache of decoded pixel arrays, keyed by image index.</summary>
internal sealed class PixelCache
{
    readonly int capacity;
    readonly Dictionary<int, LinkedListNode<(int Key, float[] Value)>> map = new();
    readonly LinkedList<(int Key, float[] Value)> order = new();
    readonly object gate = new();

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> arrays (0 disables caching).</summary>
    public PixelCache(int capacity) => this.capacity = Math.Max(0, capacity);

    /// <summary>The cached array for <paramref name="key"/>, or the one <paramref name="load"/> produces (decoded outside the lock).</summary>
    public float[] GetOrAdd(int key, Func<int, float[]> load)
    {
        lock (gate)
        {
            if (map.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                return node.Value.Value;
            }
        }
        var value = load(key);
        if (capacity == 0) return value;
        lock (gate)
        {
            if (map.ContainsKey(key)) return value;
            map[key] = order.AddFirst((key, value));
            while (map.Count > capacity)
            {
                var last = order.Last!;
                order.RemoveLast();
                map.Remove(last.Value.Key);
            }
        }
        return value;
    }
}
