using System.CommandLine;
using GanSharp.Methods.Editing;
using GanSharp.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp serve</c>: GanSharp Studio, the GAN Paint web editor, on localhost. Finds the paintable models (a GAN
/// checkpoint with a dissection of the same name) in the bundled assets or <c>--models DIR</c>, loads one as
/// <c>gansharp paint</c> does and serves the page until Ctrl+C.
/// </summary>
public static class ServeCommand
{
    /// <summary>The model served when none is named and it is present.</summary>
    public const string DefaultModel = "stylegan2-emoji";

    /// <summary>The translator offered on the page when the models folder has it (the bundled Google ↔ Twitter emoji CycleGAN).</summary>
    public const string DefaultTranslator = "cyclegan-emoji";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("serve", "GanSharp Studio: the GAN Paint web editor (upload a photo, brush a concept in or out, undo, download) on http://127.0.0.1:5080");
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port)", DefaultValueFactory = _ => 5080 };
        var host = new Option<string>("--host") { Description = "Address to listen on (127.0.0.1: this machine only; 0.0.0.0 exposes the editor to the network)", DefaultValueFactory = _ => "127.0.0.1" };
        var models = new Option<string?>("--models") { Description = "Folder with checkpoints/<name> and dissections/<name> (default: the bundled assets)" };
        var model = new Option<string?>("--model") { Description = $"Which model to serve (default: {DefaultModel}, else the first paintable one)" };
        var steps = new Option<int>("--steps") { Description = "Adam steps of each upload's inversion (the feature refinement and the fits scale with it: 1/3, 2/3 and 1×)", DefaultValueFactory = _ => 300 };
        var sessions = new Option<int>("--max-sessions") { Description = "Browser sessions held in memory at once", DefaultValueFactory = _ => 16 };
        var jobs = new Option<int>("--jobs") { Description = "Heavy jobs (fits, previews) run at once (0 = one per core)", DefaultValueFactory = _ => 0 };
        var translator = new Option<string?>("--translator") { Description = $"A translation checkpoint offered on the page (default: {DefaultTranslator} of the models folder when present; none: no translation)" };
        foreach (var o in new Option[] { port, host, models, model, steps, sessions, jobs, translator }) cmd.Options.Add(o);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction(async (parse, cancel) =>
        {
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new GanSharpException($"--port {p}: must be 0..65535");
            int n = parse.GetValue(steps);
            if (n is < 1 or > 100_000) throw new GanSharpException($"--steps {n}: must be 1..100000");
            var device = compute.Apply(parse);
            string? explicitModels = parse.GetValue(models);
            string folder = explicitModels ?? BundledAssets.Locate(null);
            if (!Directory.Exists(folder)) throw new GanSharpException($"--models {folder}: folder not found");
            var found = FindModels(folder);
            if (found.Count == 0)
                throw new GanSharpException($"no paintable model in {folder}: it needs checkpoints/<name> and dissections/<name>",
                    "run `gansharp dissect -g CHECKPOINT --layer L -o DIR/dissections/<name>` for a StyleGAN2 or DCGAN checkpoint");
            ctx.Output.WriteLine($"models in {folder}: {string.Join(", ", found.Select(m => m.Name))}");
            string? wanted = parse.GetValue(model);
            var chosen = wanted != null
                ? found.FirstOrDefault(m => m.Name == wanted) ?? throw new GanSharpException($"--model {wanted}: not found", "found: " + string.Join(", ", found.Select(m => m.Name)))
                : found.FirstOrDefault(m => m.Name == DefaultModel) ?? found[0];
            var (g, d, phi) = PaintCommand.LoadModel(chosen.Checkpoint, chosen.Dissection, "auto", explicitModels, device, ctx.Error);
            string? translatorPath = parse.GetValue(translator) switch
            {
                "none" => null,
                null => Path.Combine(folder, "checkpoints", DefaultTranslator) is var bundled && Directory.Exists(bundled) ? bundled : null,
                var given => Directory.Exists(given) || File.Exists(given) ? given : throw new GanSharpException($"--translator {given}: not found", "give a checkpoint made by gansharp train translate, or none"),
            };
            var loadedTranslator = translatorPath is null ? null : Methods.Translation.Translators.Load(translatorPath, device);
            var options = new StudioOptions(chosen.Name, g, d, phi)
            {
                Translator = loadedTranslator,
                // The bundled translator maps Google-style emoji (A) to Twitter-style (B).
                TranslatorDomains = translatorPath is not null && Path.GetFileName(Path.TrimEndingDirectorySeparator(translatorPath)) == DefaultTranslator ? ("Google", "Twitter") : ("A", "B"),
                Paint = new PaintOptions(InvertSteps: n, FeatureSteps: n / 3, FitSteps: 2 * n / 3, RenderSteps: n),
                MaxSessions = parse.GetValue(sessions),
                MaxJobs = parse.GetValue(jobs) is > 0 and var j ? j : Environment.ProcessorCount,
            };
            string url = $"http://{(parse.GetValue(host)!.Contains(':') ? "[" + parse.GetValue(host) + "]" : parse.GetValue(host))}:{p}";
            await using var app = StudioServer.Build(options, b => b.WebHost.UseUrls(url));
            try { await app.StartAsync(cancel); }
            catch (IOException e) { throw new GanSharpException($"cannot listen on {url}: {e.Message}", "pass another --port (0 = any free port)"); }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? url;
            ctx.Output.WriteLine($"GanSharp Studio: serving {chosen.Name} ({g.Output.Width}×{g.Output.Height}, {d.Concepts.Count} concepts) at {address}");
            if (loadedTranslator is not null) ctx.Output.WriteLine($"translation: {translatorPath} ({loadedTranslator.Method}, {loadedTranslator.Image.Height} px)");
            ctx.Output.WriteLine("press Ctrl+C to stop");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            await app.StopAsync(CancellationToken.None);
            loadedTranslator?.Dispose();
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>A checkpoint with a dissection of the same name.</summary>
    internal sealed record PaintableModel(string Name, string Checkpoint, string Dissection);

    /// <summary>The paintable models of an assets-like folder: <c>checkpoints/&lt;name&gt;</c> with <c>dissections/&lt;name&gt;/dissection.json</c>.</summary>
    internal static IReadOnlyList<PaintableModel> FindModels(string folder)
    {
        var checkpoints = Path.Combine(folder, "checkpoints");
        if (!Directory.Exists(checkpoints)) return Array.Empty<PaintableModel>();
        return Directory.GetDirectories(checkpoints).OrderBy(c => c, StringComparer.Ordinal)
            .Select(c => (Name: Path.GetFileName(c), Checkpoint: c))
            .Select(c => new PaintableModel(c.Name, c.Checkpoint, Path.Combine(folder, "dissections", c.Name)))
            .Where(m => File.Exists(Path.Combine(m.Dissection, DissectionResult.FileName)))
            .ToList();
    }
}
