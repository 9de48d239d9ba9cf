namespace GanSharp.Diagnostics;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, in order. (<see cref="Progress{T}"/> posts to the
/// thread pool, which reorders lines and makes a callback that cancels arrive late.)
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
