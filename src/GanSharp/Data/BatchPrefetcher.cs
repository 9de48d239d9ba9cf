using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GanSharp.Data;

/// <summary>
/// Prepares host batches in order from a start position on one background thread, at most <c>capacity</c> ahead.
/// A failure is queued as a batch carrying the exception, after which the thread stops. Order is fixed by the
/// positions, never by timing, so the consumer sees the same batches as without prefetch.
/// </summary>
sealed class BatchPrefetcher : IDisposable
{
    readonly BlockingCollection<HostBatch> queue;
    readonly CancellationTokenSource stop = new();
    readonly Thread thread;
    readonly Action<HostBatch> recycle;

    public BatchPrefetcher(Func<LoaderPosition, HostBatch> produce, Func<LoaderPosition, LoaderPosition> advance,
        LoaderPosition start, int capacity, Action<HostBatch> recycle, string name)
    {
        queue = new BlockingCollection<HostBatch>(new ConcurrentQueue<HostBatch>(), capacity);
        this.recycle = recycle;
        thread = new Thread(() => Run(produce, advance, start)) { IsBackground = true, Name = "gansharp-prefetch " + name };
        thread.Start();
    }

    void Run(Func<LoaderPosition, HostBatch> produce, Func<LoaderPosition, LoaderPosition> advance, LoaderPosition position)
    {
        var token = stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                HostBatch batch;
                try { batch = produce(position); }
                catch (Exception e)
                {
                    queue.Add(new HostBatch { Position = position, Error = ExceptionDispatchInfo.Capture(e) }, token);
                    return;
                }
                queue.Add(batch, token);
                position = advance(position);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>The next batch in order; blocks until it is ready or <paramref name="cancel"/> fires.</summary>
    public HostBatch Take(CancellationToken cancel) => queue.Take(cancel);

    /// <summary>Stops the thread, waits for it and recycles the batches it had prepared.</summary>
    public void Dispose()
    {
        stop.Cancel();
        thread.Join();
        while (queue.TryTake(out var b)) recycle(b);
        queue.Dispose();
        stop.Dispose();
    }
}
