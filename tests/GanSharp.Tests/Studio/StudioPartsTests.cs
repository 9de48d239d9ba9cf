using GanSharp.Studio;
using Microsoft.AspNetCore.Http;

namespace GanSharp.Tests.Studio;

/// <summary>The Studio's parts without a server: masks from strokes, the job limit, session bounds and expiry.</summary>
public class StudioPartsTests
{
    [Fact]
    public void StrokesArePaintedAndErasedInOrder()
    {
        var strokes = new[]
        {
            new StudioStroke(4, false, new[] { new[] { 2.0, 8.0 }, new[] { 12.0, 8.0 } }),
            new StudioStroke(4, true, new[] { new[] { 8.0, 8.0 } }),
        };
        using var m = StudioMasks.Read(new EditRequest("yellow", "insert", null, strokes), 16, 16, 64);
        Assert.Equal(new long[] { 1, 1, 16, 16 }, m.shape);
        Assert.Equal(1f, m[0, 0, 8, 3].item<float>());
        Assert.Equal(1f, m[0, 0, 7, 12].item<float>());
        Assert.Equal(0f, m[0, 0, 8, 8].item<float>());  // erased
        Assert.Equal(0f, m[0, 0, 1, 3].item<float>());  // outside the brush
        Assert.Equal(0f, m[0, 0, 8, 15].item<float>()); // past the end of the stroke
        var bad = new[] { new StudioStroke(-1, false, new[] { new[] { 1.0, 1.0 } }) };
        Assert.Equal(400, Assert.Throws<StudioProblem>(() => StudioMasks.Read(new EditRequest("yellow", null, null, bad), 16, 16, 64)).Status);
        var erasedAll = new[] { new StudioStroke(2, false, new[] { new[] { 3.0, 3.0 } }), new StudioStroke(8, true, new[] { new[] { 3.0, 3.0 } }) };
        Assert.Contains("empty", Assert.Throws<StudioProblem>(() => StudioMasks.Read(new EditRequest("yellow", null, null, erasedAll), 16, 16, 64)).Message);
    }

    [Fact]
    public async Task JobsBeyondTheQueueGet429()
    {
        using var jobs = new StudioJobs(maxJobs: 1, maxQueue: 1);
        using var release = new ManualResetEventSlim();
        var places = new List<int>();
        var running = jobs.RunAsync(_ => { release.Wait(); return 1; }, CancellationToken.None, places.Add);
        var queued = jobs.RunAsync(_ => 2, CancellationToken.None, places.Add);
        Assert.Equal(new[] { 1 }, places); // the first ran at once; the second was told it is next
        var refused = await Assert.ThrowsAsync<StudioProblem>(() => jobs.RunAsync(_ => 3, CancellationToken.None));
        Assert.Equal(429, refused.Status);
        release.Set();
        Assert.Equal(1, await running);
        Assert.Equal(2, await queued);
        Assert.Equal(0, jobs.Admitted);
        Assert.Equal(4, await jobs.RunAsync(_ => 4, CancellationToken.None)); // free again
    }

    [Fact]
    public async Task AJobIsCancelledByTheSessionsNextOne()
    {
        var s = new StudioSessions(4, TimeSpan.FromMinutes(1)).GetOrCreate(new DefaultHttpContext().Request);
        var first = s.NewJob(CancellationToken.None);
        var second = s.NewJob(CancellationToken.None);
        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
        using var jobs = new StudioJobs(1, 4);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => jobs.RunAsync(_ => 1, first));
    }

    [Fact]
    public void SessionsAreBoundedAndExpire()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var store = new StudioSessions(2, TimeSpan.FromMinutes(10), () => now);
        var a = store.GetOrCreate(new DefaultHttpContext().Request);
        now = now.AddMinutes(1);
        var b = store.GetOrCreate(new DefaultHttpContext().Request);
        Assert.NotEqual(a.Id, b.Id);
        now = now.AddMinutes(1);
        Assert.Same(a, store.TryGet(a.Id)); // a is now the most recently used
        now = now.AddMinutes(1);
        var c = store.GetOrCreate(new DefaultHttpContext().Request);
        Assert.Equal(2, store.Count);
        Assert.Null(store.TryGet(b.Id)); // the least recently used was evicted
        Assert.Same(a, store.TryGet(a.Id));
        now = now.AddMinutes(11);
        Assert.Null(store.TryGet(c.Id)); // idle too long
        Assert.Equal(0, store.Count);
        // The id the client sends is looked up, never adopted.
        var request = new DefaultHttpContext().Request;
        request.Headers[StudioSessions.HeaderName] = new string('a', 32);
        Assert.NotEqual(new string('a', 32), store.GetOrCreate(request).Id);
    }
}
