using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Synthesis.Gan;
using GanSharp.Metrics;
using GanSharp.Platform;
using GanSharp.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace GanSharp.Bench;

/// <summary>
/// A load test of GanSharp Studio: the real server (Kestrel on a free localhost port) and N concurrent browser-like
/// sessions that each upload an emoji, then send previews of random strokes and concepts back to back for S seconds.
/// Prints the latency of uploads (the fit) and previews (p50/p95/max), errors, and memory before and after.
/// </summary>
public static class StudioLoadBench
{
    /// <summary>
    /// Options: <c>--sessions N</c> (8), <c>--seconds S</c> (60), <c>--steps K</c> (inversion steps of each upload's fit,
    /// 100; the fits scale with it as in <c>gansharp serve</c>), <c>--jobs J</c> (jobs at once, default one per core),
    /// <c>--threads T</c>, <c>--assets PATH</c>.
    /// </summary>
    public static int Run(string[] args)
    {
        var opt = new BenchArgs(args);
        string Arg(string name, string fallback) => opt.Get(name, fallback);
        int Int(string name, int fallback) => opt.Int(name, fallback);
        var report = TorchRuntime.EnsureInitialized();
        int threads = Int("--threads", 0);
        if (threads > 0) TorchRuntime.SetThreads(threads);
        string assets = Arg("--assets", "assets");
        int sessions = Int("--sessions", 8), seconds = Int("--seconds", 60), steps = Int("--steps", 100), jobs = Int("--jobs", Environment.ProcessorCount);

        var g = GanCheckpoint.Open(Path.Combine(assets, "checkpoints", "stylegan2-emoji")).LoadGenerator(CPU);
        var d = DissectionResult.Load(Path.Combine(assets, "dissections", "stylegan2-emoji"));
        var phi = new FeatureNetworkPerceptual(FeatureNetwork.Load(Path.Combine(assets, "checkpoints", "features-emoji"), CPU));
        var options = new StudioOptions("stylegan2-emoji", g, d, phi)
        {
            Paint = new PaintOptions(InvertSteps: steps, FeatureSteps: steps / 3, FitSteps: 2 * steps / 3, RenderSteps: steps),
            MaxJobs = jobs,
            MaxQueue = 4 * sessions,
            MaxSessions = Math.Max(16, sessions),
        };
        var app = StudioServer.Build(options, b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        app.StartAsync().GetAwaiter().GetResult();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var images = Directory.GetFiles(Path.Combine(assets, "samples", "emoji-google", "img", "google", "64"), "*.png").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Console.WriteLine($"{report.Decision}; threads {get_num_threads()}; cores {Environment.ProcessorCount}; {sessions} sessions × {seconds} s of previews against {url}; " +
            $"fit steps {steps}/{steps / 3}/{2 * steps / 3}; {jobs} jobs at once");
        var memStart = Memory();

        var uploads = new List<double>();
        var previews = new List<double>();
        int errors = 0, busy = 0;
        var errorKinds = new Dictionary<string, int>();
        var sync = new object();
        void Error(string kind) { lock (sync) { errors++; errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + 1; } }

        // Phase 1: every session uploads (the fits queue for the job slots).
        var clients = new HttpClient[sessions];
        var clock = Stopwatch.StartNew();
        Task.WaitAll(Enumerable.Range(0, sessions).Select(async i =>
        {
            var http = clients[i] = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(images[(7 * i + 3) % images.Length]));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", "emoji.png");
            var t = Stopwatch.StartNew();
            var r = await http.PostAsync("/api/images", form);
            double ms = t.Elapsed.TotalMilliseconds;
            if (!r.IsSuccessStatusCode) { Error($"upload {(int)r.StatusCode}"); return; }
            using var json = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            http.DefaultRequestHeaders.Add(StudioSessions.HeaderName, json.RootElement.GetProperty("session").GetString());
            lock (sync) uploads.Add(ms);
        }).ToArray());
        double uploadWall = clock.Elapsed.TotalSeconds;
        var memAfterFits = Memory();

        // Phase 2: previews back to back for S seconds.
        var concepts = d.Concepts.Where(c => c != "background").ToArray();
        var end = DateTime.UtcNow.AddSeconds(seconds);
        clock.Restart();
        var rssSeries = new List<double>();
        var sampler = Task.Run(async () =>
        {
            while (DateTime.UtcNow < end)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds / 6.0)));
                using var p = Process.GetCurrentProcess();
                lock (rssSeries) rssSeries.Add(p.WorkingSet64 / 1048576.0);
            }
        });
        Task.WaitAll(Enumerable.Range(0, sessions).Where(i => clients[i].DefaultRequestHeaders.Contains(StudioSessions.HeaderName)).Select(async i =>
        {
            var random = new Random(i);
            while (DateTime.UtcNow < end)
            {
                double x = random.Next(4, 28), y = random.Next(4, 28);
                var body = JsonSerializer.Serialize(new
                {
                    concept = concepts[random.Next(concepts.Length)],
                    action = random.Next(2) == 0 ? "insert" : "remove",
                    strokes = new[] { new { size = 2.0 + random.Next(6), erase = false, points = new[] { new[] { x, y }, new[] { x + random.Next(-6, 7), y + random.Next(-6, 7) } } } },
                });
                var t = Stopwatch.StartNew();
                var r = await clients[i].PostAsync("/api/edit/preview", new StringContent(body, Encoding.UTF8, "application/json"));
                var bytes = await r.Content.ReadAsByteArrayAsync();
                double ms = t.Elapsed.TotalMilliseconds;
                if ((int)r.StatusCode == 429) { Interlocked.Increment(ref busy); await Task.Delay(50); continue; }
                if (!r.IsSuccessStatusCode || bytes.Length < 8 || bytes[1] != (byte)'P') { Error($"preview {(int)r.StatusCode}"); continue; }
                lock (sync) previews.Add(ms);
            }
        }).ToArray());
        double previewWall = clock.Elapsed.TotalSeconds;
        sampler.Wait();
        var memAfterPreviews = Memory();
        int retries = app.Services.GetRequiredService<StudioJobs>().NativeRetries;
        foreach (var c in clients) c?.Dispose();
        app.StopAsync().GetAwaiter().GetResult();
        ((IAsyncDisposable)app).DisposeAsync().AsTask().GetAwaiter().GetResult();
        var memEnd = Memory();

        string F0(double v) => v.ToString("0", CultureInfo.InvariantCulture);
        string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        double P(List<double> v, double q) => v.Count == 0 ? double.NaN : v.Order().ElementAt(Math.Min(v.Count - 1, (int)Math.Floor(q * v.Count)));
        Console.WriteLine();
        Console.WriteLine("| request | count | p50 ms | p95 ms | max ms | throughput |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| upload + fit | {uploads.Count} | {F0(P(uploads, 0.5))} | {F0(P(uploads, 0.95))} | {F0(uploads.DefaultIfEmpty(double.NaN).Max())} | {F1(uploads.Count / uploadWall)} /s over {F1(uploadWall)} s |");
        Console.WriteLine($"| preview | {previews.Count} | {F0(P(previews, 0.5))} | {F0(P(previews, 0.95))} | {F0(previews.DefaultIfEmpty(double.NaN).Max())} | {F1(previews.Count / previewWall)} /s over {F1(previewWall)} s |");
        Console.WriteLine();
        Console.WriteLine($"errors: {errors}{(errorKinds.Count > 0 ? " (" + string.Join(", ", errorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")" : "")}; 429 busy answers: {busy}; native failures retried by the server: {retries}");
        Console.WriteLine();
        Console.WriteLine("| memory | start | after the fits | after the previews | server stopped |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| process RSS MiB | {F0(memStart.Rss)} | {F0(memAfterFits.Rss)} | {F0(memAfterPreviews.Rss)} | {F0(memEnd.Rss)} |");
        Console.WriteLine($"| managed heap MiB | {F1(memStart.Managed)} | {F1(memAfterFits.Managed)} | {F1(memAfterPreviews.Managed)} | {F1(memEnd.Managed)} |");
        Console.WriteLine();
        Console.WriteLine($"RSS MiB during the previews, every {F0(Math.Max(1, seconds / 6.0))} s: {string.Join(", ", rssSeries.Select(F0))}");
        return errors == 0 ? 0 : 1;
    }

    static (double Rss, double Managed) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        return (p.WorkingSet64 / 1048576.0, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0);
    }
}
