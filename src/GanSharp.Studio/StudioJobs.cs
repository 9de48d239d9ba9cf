using Microsoft.AspNetCore.Http;

namespace GanSharp.Studio;

/// <summary>
/// Runs heavy work (fits, previews, renders) off the request threads, at most <c>MaxJobs</c> at once; up to
/// <c>MaxQueue</c> more wait for a slot and any further one is refused with 429.
/// </summary>
public sealed class StudioJobs : IDisposable
{
    readonly SemaphoreSlim slots;
    readonly int capacity;
    int admitted;

    /// <summary>Creates the runner.</summary>
    public StudioJobs(int maxJobs, int maxQueue)
    {
        slots = new SemaphoreSlim(maxJobs, maxJobs);
        capacity = maxJobs + maxQueue;
    }

    int nativeRetries;

    /// <summary>Native (libtorch) failures of idempotent jobs that were retried once, since the start.</summary>
    public int NativeRetries => Volatile.Read(ref nativeRetries);

    /// <summary>
    /// Runs <paramref name="work"/>, once more when libtorch fails natively. Only for work without side effects (a preview
    /// or render composes a new tensor and changes nothing until it returns). Under sustained concurrent load the load
    /// test saw one such failure in ~22,000 previews: a libtorch check on a scalar argument (c10 Scalar::toFloat), which
    /// did not recur on the same input.
    /// </summary>
    public T RetryNativeOnce<T>(Func<T> work)
    {
        try { return work(); }
        catch (System.Runtime.InteropServices.ExternalException)
        {
            Interlocked.Increment(ref nativeRetries);
            return work();
        }
    }

    /// <summary>Jobs running or waiting now.</summary>
    public int Admitted => Volatile.Read(ref admitted);

    int running;

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool when a slot is free; 429 when the queue is full. When it has to
    /// wait, <paramref name="queued"/> is told its place in the queue (1 = next).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancel, Action<int>? queued = null)
    {
        int now = Interlocked.Increment(ref admitted);
        if (now > capacity)
        {
            Interlocked.Decrement(ref admitted);
            throw new StudioProblem(StatusCodes.Status429TooManyRequests, "Busy",
                "the server is busy with other edits; try again in a moment", "the Studio runs one job per core and queues a few more");
        }
        try
        {
            if (!await slots.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
            {
                queued?.Invoke(Math.Max(1, now - Volatile.Read(ref running)));
                await slots.WaitAsync(cancel).ConfigureAwait(false);
            }
            Interlocked.Increment(ref running);
            try
            {
                cancel.ThrowIfCancellationRequested();
                return await Task.Run(() => work(cancel), cancel).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref running);
                slots.Release();
            }
        }
        finally { Interlocked.Decrement(ref admitted); }
    }

    /// <inheritdoc />
    public void Dispose() => slots.Dispose();
}
