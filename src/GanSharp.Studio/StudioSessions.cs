using System.Collections.Concurrent;
using System.Security.Cryptography;
using GanSharp.Methods.Editing;
using Microsoft.AspNetCore.Http;
using static TorchSharp.torch;

namespace GanSharp.Studio;

/// <summary>
/// One browser's state: its photo, the fitted <see cref="EditSession"/>, the committed results (undo/redo) and the
/// pending preview. Mutated only while <see cref="Gate"/> is held; tensors are freed when it is dropped.
/// </summary>
public sealed class StudioSession : IDisposable
{
    internal StudioSession(string id, DateTime now)
    {
        Id = id;
        lastUsedTicks = now.Ticks;
    }

    long lastUsedTicks;
    CancellationTokenSource? preview;

    /// <summary>The random id (32 hex digits) the browser holds in a cookie.</summary>
    public string Id { get; }

    /// <summary>Held while the session's state is read or changed.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The last request's time.</summary>
    public DateTime LastUsed => new(Interlocked.Read(ref lastUsedTicks), DateTimeKind.Utc);

    internal void Touch(DateTime now) => Interlocked.Exchange(ref lastUsedTicks, now.Ticks);

    /// <summary>The fitted editor of the uploaded photo, or null before an upload.</summary>
    internal EditSession? Edit { get; private set; }

    /// <summary>What the session is doing now (e.g. "fitting the generator to the photo"), for the page's progress line.</summary>
    internal volatile string Status = "idle";

    /// <summary>A note about the upload (e.g. that it was resized).</summary>
    internal string? Note { get; private set; }

    /// <summary>The uploaded file's own size.</summary>
    internal (int Width, int Height) SourceSize { get; private set; }

    /// <summary>Committed results, oldest first; entry 0 is the photo. // each [1, C, H, W]</summary>
    internal List<Tensor> History { get; } = new();

    /// <summary>The index of the current result in <see cref="History"/>.</summary>
    internal int Index { get; private set; }

    /// <summary>The last preview, not yet committed. // [1, C, H, W]</summary>
    internal Tensor? Pending { get; private set; }

    /// <summary>The current result. // [1, C, H, W]</summary>
    internal Tensor Current => History[Index];

    internal int UndoCount => Index;
    internal int RedoCount => Math.Max(0, History.Count - 1 - Index);

    /// <summary>Replaces the photo and editor (disposing the old ones) and resets the history.</summary>
    internal void Reset(EditSession edit, (int Width, int Height) sourceSize, string? note)
    {
        ClearImage();
        Edit = edit;
        SourceSize = sourceSize;
        Note = note;
        using (NewDisposeScope()) History.Add(edit.Image.detach().clone().MoveToOuterDisposeScope());
        Index = 0;
    }

    internal void SetPending(Tensor? result)
    {
        Pending?.Dispose();
        Pending = result?.DetachFromDisposeScope();
    }

    /// <summary>Forgets the pending preview without freeing it (it is being committed).</summary>
    internal void SetPendingWithoutDispose() => Pending = null;

    /// <summary>Makes <paramref name="result"/> the current result, dropping what could have been redone.</summary>
    internal void Commit(Tensor result, int maxHistory)
    {
        for (int i = History.Count - 1; i > Index; i--) { History[i].Dispose(); History.RemoveAt(i); }
        History.Add(result.DetachFromDisposeScope());
        Index = History.Count - 1;
        while (History.Count > maxHistory + 1)
        {
            History[1].Dispose(); // the photo (entry 0) is always kept
            History.RemoveAt(1);
            Index--;
        }
    }

    internal bool Undo() { if (Index == 0) return false; Index--; return true; }
    internal bool Redo() { if (Index >= History.Count - 1) return false; Index++; return true; }

    /// <summary>
    /// A token for a new heavy job of this session (upload, preview, render, restore); cancels the previous one, whether it
    /// still waits or runs (fits and restorations stop at their next step; its request answers 409).
    /// </summary>
    internal CancellationToken NewJob(CancellationToken request)
    {
        var next = CancellationTokenSource.CreateLinkedTokenSource(request);
        var old = Interlocked.Exchange(ref preview, next);
        if (old != null)
        {
            try { old.Cancel(); } catch (ObjectDisposedException) { }
            old.Dispose();
        }
        return next.Token;
    }

    void ClearImage()
    {
        SetPending(null);
        foreach (var t in History) t.Dispose();
        History.Clear();
        Index = 0;
        Edit?.Dispose();
        Edit = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var last = Interlocked.Exchange(ref preview, null);
        try { last?.Cancel(); } catch (ObjectDisposedException) { }
        last?.Dispose();
        ClearImage();
    }
}

/// <summary>
/// The sessions held in memory: at most <c>MaxSessions</c>, each dropped after <c>IdleTimeout</c> without a request;
/// when full, a new session evicts the least recently used one that is not busy. Ids are random (128 bits) and only
/// ever made here, never taken from the client.
/// </summary>
public sealed class StudioSessions : IDisposable
{
    /// <summary>The cookie that holds the session id.</summary>
    public const string CookieName = "gansharp-studio";

    /// <summary>The header that may hold the session id instead (API clients).</summary>
    public const string HeaderName = "X-Studio-Session";

    readonly ConcurrentDictionary<string, StudioSession> sessions = new(StringComparer.Ordinal);
    readonly object createLock = new();
    readonly int max;
    readonly TimeSpan idle;
    readonly Func<DateTime> clock;

    /// <summary>Creates the store.</summary>
    public StudioSessions(int maxSessions, TimeSpan idleTimeout, Func<DateTime>? clock = null)
    {
        max = maxSessions; idle = idleTimeout; this.clock = clock ?? (() => DateTime.UtcNow);
    }

    /// <summary>Sessions held now.</summary>
    public int Count => sessions.Count;

    /// <summary>The id the request names (cookie or header), or null; a malformed one is refused with 400.</summary>
    public static string? RequestedId(HttpRequest request)
    {
        string? id = request.Headers[HeaderName].FirstOrDefault();
        if (string.IsNullOrEmpty(id)) id = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(id)) return null;
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
            throw StudioProblem.BadRequest("the session id is malformed", "reload the page to start a new session");
        return id;
    }

    /// <summary>The request's session; 404 when it names none (or one that expired).</summary>
    public StudioSession Get(HttpRequest request)
    {
        var id = RequestedId(request) ?? throw StudioProblem.NotFound("no session: upload an image first");
        return TryGet(id) ?? throw StudioProblem.NotFound("the session does not exist or has expired", "upload the image again");
    }

    /// <summary>The session of <paramref name="id"/>, touched, or null.</summary>
    public StudioSession? TryGet(string id)
    {
        Sweep();
        if (!sessions.TryGetValue(id, out var s)) return null;
        s.Touch(clock());
        return s;
    }

    /// <summary>The request's session when it has one, else a new session (with a new random id).</summary>
    public StudioSession GetOrCreate(HttpRequest request)
    {
        var id = RequestedId(request);
        if (id != null && TryGet(id) is { } existing) return existing;
        lock (createLock)
        {
            Sweep();
            while (sessions.Count >= max)
            {
                var victim = sessions.Values.Where(s => s.Gate.CurrentCount > 0).OrderBy(s => s.LastUsed).FirstOrDefault()
                    ?? throw new StudioProblem(StatusCodes.Status503ServiceUnavailable, "Too many sessions",
                        "every session slot is busy; try again in a moment");
                Remove(victim);
            }
            var s = new StudioSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), clock());
            sessions[s.Id] = s;
            return s;
        }
    }

    /// <summary>Drops sessions idle for longer than the timeout (those busy now are kept).</summary>
    public void Sweep()
    {
        var cutoff = clock() - idle;
        foreach (var s in sessions.Values)
            if (s.LastUsed < cutoff && s.Gate.CurrentCount > 0) Remove(s);
    }

    void Remove(StudioSession s)
    {
        if (!sessions.TryRemove(s.Id, out _)) return;
        // Free its tensors once nothing uses them (wait for a request that holds the gate right now).
        if (s.Gate.Wait(TimeSpan.FromSeconds(30))) { try { s.Dispose(); } finally { s.Gate.Release(); } }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in sessions.Values) Remove(s);
    }
}
