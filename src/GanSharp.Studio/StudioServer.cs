using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Restoration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GanSharp.Studio;

/// <summary>
/// GanSharp Studio: an ASP.NET Core minimal-API app that serves the GAN Paint page (embedded in this assembly) and its
/// JSON/PNG API under <c>/api/</c>. Every error is an RFC 7807 problem document with a clear message.
/// </summary>
public static class StudioServer
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Builds the app for <paramref name="options"/> (not started). <paramref name="configure"/> may adjust the builder,
    /// e.g. bind Kestrel (<c>UseUrls</c>) or use a test server.
    /// </summary>
    public static WebApplication Build(StudioOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        // Shared by every session: frozen and in eval mode, so that the fits' guards of concurrent sessions agree.
        foreach (var p in options.Generator.Module.parameters()) p.requires_grad = false;
        options.Generator.Module.eval();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(StudioServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = Array.Empty<string>(),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Math.Max(options.MaxUploadBytes, options.MaxJsonBytes) + (64 << 10));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new StudioSessions(options.MaxSessions, options.IdleTimeout));
        builder.Services.AddSingleton(new StudioJobs(options.MaxJobs, options.MaxQueue));
        configure?.Invoke(builder);

        var app = builder.Build();
        var sessions = app.Services.GetRequiredService<StudioSessions>();
        var jobs = app.Services.GetRequiredService<StudioJobs>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GanSharp.Studio");
        app.Lifetime.ApplicationStopped.Register(() => { sessions.Dispose(); jobs.Dispose(); });
        app.Use((context, next) => Guard(context, next, log));
        var api = new StudioApi(options, sessions, jobs);

        foreach (var (route, resource, type) in new[]
                 {
                     ("/", "index.html", "text/html; charset=utf-8"),
                     ("/studio.js", "studio.js", "text/javascript; charset=utf-8"),
                     ("/studio.css", "studio.css", "text/css; charset=utf-8"),
                 })
        {
            var bytes = Resource(resource);
            app.MapGet(route, () => Results.Bytes(bytes, type));
        }

        app.MapGet("/api/model", () => Results.Json(api.Model(), Json));
        app.MapGet("/api/concepts", () => Results.Json(api.Concepts(), Json));
        app.MapPost("/api/images", api.UploadAsync);
        app.MapGet("/api/session", api.SessionInfo);
        app.MapPost("/api/session", api.StartSession);
        app.MapPost("/api/edit/preview", (HttpContext c) => api.EditAsync(c, full: false));
        app.MapPost("/api/edit/render", (HttpContext c) => api.EditAsync(c, full: true));
        app.MapPost("/api/edit/apply", api.ApplyAsync);
        app.MapPost("/api/restore/{task}", (HttpContext c, string task) => api.RestoreAsync(c, task));
        app.MapPost("/api/translate/{direction}", (HttpContext c, string direction) => api.TranslateAsync(c, direction));
        app.MapPost("/api/edit/undo", (HttpContext c) => api.StepAsync(c, undo: true));
        app.MapPost("/api/edit/redo", (HttpContext c) => api.StepAsync(c, undo: false));
        app.MapGet("/api/result.png", api.ResultAsync);
        app.MapGet("/api/original.png", api.OriginalAsync);
        app.MapGet("/api/reconstruction.png", api.ReconstructionAsync);
        app.Map("/api/{**rest}", (HttpContext c) =>
            StudioProblem.WriteAsync(c, StatusCodes.Status404NotFound, "Not found", $"no API endpoint {c.Request.Method} {c.Request.Path}"));
        return app;
    }

    /// <summary>Turns every failure into a problem document; unexpected ones are logged here and reported without details.</summary>
    static async Task Guard(HttpContext context, Func<Task> next, ILogger log)
    {
        try
        {
            await next();
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                await StudioProblem.WriteAsync(context, 405, "Method not allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}");
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, title, detail, hint) = e switch
            {
                StudioProblem p => (p.Status, p.Title, p.Message, p.Hint),
                GanSharpException g => (400, "Bad request", g.Message, g.Hint),
                BadHttpRequestException { StatusCode: 413 } => (413, "Request too large", "the request body is larger than the server accepts", (string?)null),
                BadHttpRequestException b => (b.StatusCode, "Bad request", "the request could not be read", null),
                InvalidDataException => (413, "Request too large", "the multipart body is larger than the server accepts or malformed", null),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "the request was cancelled", null),
                OperationCanceledException => (409, "Superseded", "a newer request of this session (upload, edit or restore) replaced this one", null),
                _ => (500, "Internal error", "the server failed to handle the request; see its log", null),
            };
            if (status == 500) log.LogError(e, "request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await StudioProblem.WriteAsync(context, status, title, detail, hint);
        }
    }

    static byte[] Resource(string name)
    {
        using var stream = typeof(StudioServer).Assembly.GetManifestResourceStream("wwwroot/" + name)
            ?? throw new InvalidOperationException($"the Studio page resource {name} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>The endpoints' work, over the options, the sessions and the job runner.</summary>
sealed class StudioApi(StudioOptions options, StudioSessions sessions, StudioJobs jobs)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    int Height => options.Generator.Output.Height;
    int Width => options.Generator.Output.Width;

    public object Model() => new
    {
        name = options.Name,
        width = Width,
        height = Height,
        channels = options.Generator.Output.Channels,
        layer = options.Dissection.Layer,
        units = options.Paint.Units,
        maxUploadBytes = options.MaxUploadBytes,
        features = new[] { "preview", "render", "apply", "undo", "redo", "download", "reconstruction", "inpaint", "colorize", "denoise" }
            .Concat(options.Translator is null ? Array.Empty<string>() : new[] { "translate" }).ToArray(),
        translator = options.Translator is { } t
            ? new { method = t.Method, step = t.Step, size = t.Image.Height, a = options.TranslatorDomains.A, b = options.TranslatorDomains.B }
            : null,
    };

    /// <summary>
    /// Translates the session's current image with the server's translator (<c>a2b</c> or <c>b2a</c>) and commits the
    /// result (undoable). An image of another size than the translator's is resized there and back (bilinear).
    /// </summary>
    public async Task TranslateAsync(HttpContext context, string direction)
    {
        var translator = options.Translator ?? throw StudioProblem.NotFound("no translation model is loaded", "start the server with --translator DIR");
        var session = sessions.Get(context.Request);
        var dir = direction switch
        {
            "a2b" => Methods.Translation.TranslationDirection.AToB,
            "b2a" => Methods.Translation.TranslationDirection.BToA,
            _ => throw StudioProblem.NotFound($"unknown direction '{Clip(direction)}'", "use a2b or b2a"),
        };
        await CommitJobAsync(context, session, $"translating ({direction})", (current, _) => jobs.RetryNativeOnce(() =>
        {
            using var __ = no_grad();
            return translator.TranslateAnySize(current, dir); // its own dispose scope keeps only the result
        }));
    }

    /// <summary>
    /// The dissection's concepts: coverage, the top-IoU units, and the units an edit sets for each action (by measured
    /// causal effect when the dissection has it, else the top-IoU ones) with the best unit's insertion effect (null without).
    /// </summary>
    public object Concepts()
    {
        var d = options.Dissection;
        int k = options.Paint.Units;
        return d.ConceptScores.Select(c => new
        {
            name = c.Concept,
            coverage = c.Coverage,
            units = c.Units.Take(k).Select(u => new { unit = u.Unit, iou = u.Iou }),
            insertUnits = d.TopUnits(c.Concept, k, PaintAction.Insert),
            removeUnits = d.TopUnits(c.Concept, k, PaintAction.Remove),
            insertEffect = d.HasCausalEffects ? d.Effect(c.Concept, d.TopUnits(c.Concept, 1, PaintAction.Insert)[0], PaintAction.Insert) : (double?)null,
        }).ToArray();
    }

    public async Task UploadAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > options.MaxUploadBytes + (64 << 10))
            throw StudioProblem.TooLarge($"the upload is {request.ContentLength} bytes; the limit is {options.MaxUploadBytes} bytes");
        if (!request.HasFormContentType)
            throw new StudioProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "send the image as multipart/form-data with a field named \"file\"");
        var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadBytes + (64 << 10), ValueCountLimit = 16 },
            context.RequestAborted);
        var file = form.Files.GetFile("file") ?? throw StudioProblem.BadRequest("no file: send the image in a multipart field named \"file\"");
        if (file.Length == 0) throw StudioProblem.BadRequest("the uploaded file is empty");
        if (file.Length > options.MaxUploadBytes)
            throw StudioProblem.TooLarge($"the image is {file.Length} bytes; the limit is {options.MaxUploadBytes} bytes");
        var bytes = new byte[file.Length];
        await using (var s = file.OpenReadStream()) await s.ReadExactlyAsync(bytes, context.RequestAborted);

        // The client's file name is never used: it is only a label in the browser, and nothing is written to disk.
        var shape = options.Generator.Output;
        var limits = new ImageLimits(options.MaxImageSide, options.MaxImageSide, (long)options.MaxImageSide * options.MaxImageSide, options.MaxUploadBytes);
        var header = ImageReader.DecodeHeader(bytes, "the upload", limits);
        var pixels = ImageReader.Decode(bytes, "the upload",
            new ImageReadOptions(ImageModes.FromChannels(shape.Channels), Width: shape.Width, Height: shape.Height, Resize: ResizePolicy.CenterCrop, Limits: limits));
        string? note = header.Width == shape.Width && header.Height == shape.Height ? null
            : $"the image is {header.Width}×{header.Height}; it was centre-cropped and resized to the model's {shape.Width}×{shape.Height}";

        var session = sessions.GetOrCreate(request);
        SetCookie(context, session);
        var job = session.NewJob(context.RequestAborted);
        await session.Gate.WaitAsync(job);
        try
        {
            var clock = Stopwatch.StartNew();
            var edit = await jobs.RunAsync(cancel =>
            {
                using var image = pixels.ToTensor();
                return EditSession.Fit(options.Generator, options.Dissection, image, options.Paint, options.Perceptual,
                    new GanSharp.Diagnostics.SyncProgress<string>(s => session.Status = s), cancel);
            }, job, Queued(session));
            session.Reset(edit, (header.Width, header.Height), note);
            await context.Response.WriteAsJsonAsync(new
            {
                session = session.Id,
                width = shape.Width,
                height = shape.Height,
                sourceWidth = header.Width,
                sourceHeight = header.Height,
                format = header.Format,
                note,
                fitSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            }, Json, context.RequestAborted);
        }
        finally
        {
            session.Status = "idle";
            session.Gate.Release();
        }
    }

    /// <summary>The request's session, or a new one (cookie set), so that the page can follow its first upload's progress.</summary>
    public object StartSession(HttpContext context)
    {
        var s = sessions.GetOrCreate(context.Request);
        SetCookie(context, s);
        return SessionInfo(s);
    }

    static void SetCookie(HttpContext context, StudioSession session) =>
        context.Response.Cookies.Append(StudioSessions.CookieName, session.Id, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });

    public object SessionInfo(HttpContext context) => SessionInfo(sessions.Get(context.Request));

    static object SessionInfo(StudioSession s) =>
        // Read without the gate: a fit may hold it for seconds while the page polls the status.
        new { session = s.Id, status = s.Status, hasImage = s.Edit != null, note = s.Note, undo = s.UndoCount, redo = s.RedoCount, pending = s.Pending is not null };

    public async Task EditAsync(HttpContext context, bool full)
    {
        var session = sessions.Get(context.Request);
        var body = await ReadJsonAsync<EditRequest>(context);
        if (string.IsNullOrWhiteSpace(body.Concept)) throw StudioProblem.BadRequest("no concept: give \"concept\" (see GET /api/concepts)");
        var concept = options.Dissection.ConceptScores.FirstOrDefault(c => string.Equals(c.Concept, body.Concept, StringComparison.OrdinalIgnoreCase))
            ?? throw StudioProblem.BadRequest($"unknown concept '{Clip(body.Concept)}'", "known concepts: " + string.Join(", ", options.Dissection.Concepts));
        var action = (body.Action ?? "insert").ToLowerInvariant() switch
        {
            "insert" => PaintAction.Insert,
            "remove" => PaintAction.Remove,
            _ => throw StudioProblem.BadRequest($"unknown action '{Clip(body.Action!)}'; use insert or remove"),
        };
        using var mask = StudioMasks.Read(body, Height, Width, options.MaxImageSide);
        var cancel = session.NewJob(context.RequestAborted);
        await session.Gate.WaitAsync(cancel);
        try
        {
            var edit = session.Edit ?? throw StudioProblem.BadRequest("no image: upload one first (POST /api/images)");
            var current = session.Current;
            var clock = Stopwatch.StartNew();
            session.Status = full ? "rendering at full quality" : "previewing";
            string label = session.Status;
            var (result, units) = await jobs.RunAsync(c => jobs.RetryNativeOnce(() =>
            {
                session.Status = label;
                using var scope = NewDisposeScope();
                using var r = full ? edit.Render(mask, concept.Concept, action, c) : edit.Preview(mask, concept.Concept, action, c);
                // Paste the rendering into the current result (not the photo), so that committed edits stack.
                var composed = (r.Rendered * r.Blend + current * (1 - r.Blend)).clamp(-1, 1);
                return (composed.MoveToOuterDisposeScope(), r.Units);
            }), cancel, Queued(session));
            if (full) { session.SetPending(null); session.Commit(result, options.MaxHistory); }
            else session.SetPending(result);
            context.Response.Headers["X-Units"] = string.Join(",", units);
            context.Response.Headers["X-Elapsed-Ms"] = clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
            await WritePngAsync(context, session, result);
        }
        finally
        {
            session.Status = "idle";
            session.Gate.Release();
        }
    }

    /// <summary>
    /// Restoration with the GAN prior, as <c>gansharp restore</c> does it, of the current result, committed (undoable):
    /// <c>inpaint</c> fills the painted region (the image is inverted from its pixels outside it, which are kept; one code in w+, the mean of 4 restarts),
    /// <c>colorize</c> re-colours the image from its gray levels (which are kept; one code in z, the mean of <see cref="Degradations.DefaultRestarts"/> restarts, batched), <c>denoise</c> replaces it by the
    /// generator's closest image.
    /// </summary>
    public async Task RestoreAsync(HttpContext context, string task)
    {
        var session = sessions.Get(context.Request);
        if (task is not ("inpaint" or "colorize" or "denoise"))
            throw StudioProblem.NotFound($"unknown restoration '{Clip(task)}'", "use inpaint, colorize or denoise");
        using var hole = task == "inpaint" ? StudioMasks.Read(await ReadJsonAsync<EditRequest>(context), Height, Width, options.MaxImageSide) : null; // 1 = to restore
        var p = options.Paint;
        await CommitJobAsync(context, session, $"restoring ({task})", (current, c) =>
        {
            using var scope = NewDisposeScope();
            IDegradation degradation = task switch
            {
                "inpaint" => new InpaintDegradation(1 - hole!), // 1 = known
                "colorize" => new GrayscaleDegradation(),
                _ => new DenoiseDegradation(),
            };
            var observed = degradation.Apply(current); // the current result as the degraded observation (denoise: itself)
            var r = GanRestoration.Restore(options.Generator, observed, degradation, PriorMethod.Single,
                // Colorization as gansharp restore does it: in z (GrayscaleDegradation.PreferredSpace), the mean of 8 restarts (batched
                // as copies of the image: about 3× one restart's time at 32 px on a CPU). Inpainting: one code in w+, the mean of 4
                // restarts (on 48 held-out emoji 20.60 dB against harmonic inpainting's 20.36 and one run's 19.46; gansharp restore's
                // mGANprior is better still, 21.01, but several times slower). Denoising: one code in w+, one run.
                new InversionOptions(Space: task == "colorize" ? GrayscaleDegradation.PreferredSpace : LatentSpace.WPlus, Steps: p.InvertSteps,
                    PerceptualWeight: p.PerceptualWeight, Seed: p.Seed),
                perceptual: options.Perceptual, cancel: c, restarts: Degradations.DefaultRestarts(Degradations.ParseTask(task)));
            return r.Restored.clamp(-1, 1).MoveToOuterDisposeScope();
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the session's current image as a heavy job (it replaces the session's previous
    /// one, waits its turn, shows <paramref name="status"/>), commits the result (undoable) and answers with its PNG.
    /// </summary>
    async Task CommitJobAsync(HttpContext context, StudioSession session, string status, Func<Tensor, CancellationToken, Tensor> work)
    {
        var job = session.NewJob(context.RequestAborted);
        await session.Gate.WaitAsync(job);
        try
        {
            if (session.Edit == null) throw StudioProblem.BadRequest("no image: upload one first (POST /api/images)");
            var current = session.Current;
            var clock = Stopwatch.StartNew();
            session.Status = status;
            var result = await jobs.RunAsync(c =>
            {
                session.Status = status; // a waiting job's queue place was shown until now
                return work(current, c);
            }, job, Queued(session));
            session.SetPending(null);
            session.Commit(result, options.MaxHistory);
            context.Response.Headers["X-Elapsed-Ms"] = clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
            await WritePngAsync(context, session, result);
        }
        finally
        {
            session.Status = "idle";
            session.Gate.Release();
        }
    }

    public Task ApplyAsync(HttpContext context) => WithSession(context, session =>
    {
        var pending = session.Pending ?? throw new StudioProblem(StatusCodes.Status409Conflict, "Nothing to apply", "there is no preview to apply: paint a region first");
        session.SetPendingWithoutDispose();
        session.Commit(pending, options.MaxHistory);
        return session.Current;
    });

    public Task StepAsync(HttpContext context, bool undo) => WithSession(context, session =>
    {
        if (session.Pending is not null) session.SetPending(null); // undo first discards an unapplied preview
        else if (!(undo ? session.Undo() : session.Redo()))
            throw new StudioProblem(StatusCodes.Status409Conflict, undo ? "Nothing to undo" : "Nothing to redo", undo ? "there is no edit to undo" : "there is no edit to redo");
        return session.Current;
    });

    public Task ResultAsync(HttpContext context)
    {
        if (context.Request.Query.ContainsKey("download"))
            context.Response.Headers.ContentDisposition = "attachment; filename=\"gansharp-studio.png\"";
        return WithSession(context, s => s.Current);
    }

    public Task OriginalAsync(HttpContext context) => WithSession(context, s => s.History[0]);

    public async Task ReconstructionAsync(HttpContext context)
    {
        var session = sessions.Get(context.Request);
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            var edit = session.Edit ?? throw StudioProblem.BadRequest("no image: upload one first (POST /api/images)");
            using var image = await jobs.RunAsync(_ => jobs.RetryNativeOnce(() =>
            {
                using var scope = NewDisposeScope();
                return edit.Reconstruction().clamp(-1, 1).MoveToOuterDisposeScope();
            }), context.RequestAborted);
            await WritePngAsync(context, session, image);
        }
        finally { session.Gate.Release(); }
    }

    async Task WithSession(HttpContext context, Func<StudioSession, Tensor> pick)
    {
        var session = sessions.Get(context.Request);
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            if (session.Edit == null) throw StudioProblem.BadRequest("no image: upload one first (POST /api/images)");
            await WritePngAsync(context, session, pick(session));
        }
        finally { session.Gate.Release(); }
    }

    static async Task WritePngAsync(HttpContext context, StudioSession session, Tensor image)
    {
        byte[] png;
        using (NewDisposeScope()) png = ImageWriter.EncodePng(image.detach().cpu()[0]);
        context.Response.ContentType = "image/png";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Undo"] = session.UndoCount.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Redo"] = session.RedoCount.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Pending"] = session.Pending is not null ? "1" : "0";
        await context.Response.Body.WriteAsync(png, context.RequestAborted);
    }

    async Task<T> ReadJsonAsync<T>(HttpContext context) where T : class
    {
        var request = context.Request;
        if (request.ContentLength > options.MaxJsonBytes)
            throw StudioProblem.TooLarge($"the request is {request.ContentLength} bytes; the limit is {options.MaxJsonBytes} bytes");
        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            throw new StudioProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "send the edit as application/json");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > options.MaxJsonBytes) throw StudioProblem.TooLarge($"the request is larger than the limit of {options.MaxJsonBytes} bytes");
        }
        try { return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json) ?? throw StudioProblem.BadRequest("the body is empty JSON"); }
        catch (JsonException e) { throw StudioProblem.BadRequest("the body is not valid JSON for an edit" + (e.LineNumber is { } l ? $" (line {l + 1})" : "")); }
    }

    /// <summary>Shows a job's place in the queue as the session's status (the page polls it while it waits).</summary>
    static Action<int> Queued(StudioSession session) => place => session.Status = $"queued: place {place} (other sessions' jobs first)";

    static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
