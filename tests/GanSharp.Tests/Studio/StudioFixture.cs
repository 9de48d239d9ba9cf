using System.Net.Http.Headers;
using System.Text.Json;
using GanSharp.Cli;
using GanSharp.Cli.Commands;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using static TorchSharp.torch;

namespace GanSharp.Tests.Studio;

/// <summary>
/// The bundled StyleGAN2 emoji model and its dissection, loaded as <c>gansharp serve</c> loads them, with a Studio
/// whose fits take few steps (a moment instead of ~10 s) on a test server.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    /// <summary>Few-step fits: the tests check the plumbing and the paste-back, not the quality of the fit.</summary>
    public static readonly PaintOptions FastPaint = new(InvertSteps: 8, FeatureSteps: 2, FitSteps: 4, RenderSteps: 4);

    public const long UploadLimit = 256 << 10;

    public WebApplication App { get; private set; } = null!;
    public StudioOptions Options { get; private set; } = null!;

    public static string Assets => BundledAssets.Locate(null);
    public static string Emoji => Directory.GetFiles(Path.Combine(Assets, "samples", "emoji-google", "img", "google", "64"), "*.png").OrderBy(f => f, StringComparer.Ordinal).First();

    /// <summary>A Studio over the bundled model (pixel loss only, for speed).</summary>
    public static StudioOptions LoadOptions()
    {
        var model = ServeCommand.FindModels(Assets).Single(m => m.Name == ServeCommand.DefaultModel);
        var (g, d, _) = PaintCommand.LoadModel(model.Checkpoint, model.Dissection, "none", null, CPU, TextWriter.Null);
        return new StudioOptions(model.Name, g, d, null)
        {
            Paint = FastPaint, MaxUploadBytes = UploadLimit, MaxJobs = 2,
            Translator = GanSharp.Methods.Translation.Translators.Load(Path.Combine(Assets, "checkpoints", ServeCommand.DefaultTranslator), CPU),
            TranslatorDomains = ("Google", "Twitter"),
        };
    }

    public async Task InitializeAsync()
    {
        Options = LoadOptions();
        App = StudioServer.Build(Options, b => b.WebHost.UseTestServer());
        await App.StartAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public HttpClient Client(string? session = null)
    {
        var c = App.GetTestClient();
        if (session != null) c.DefaultRequestHeaders.Add(StudioSessions.HeaderName, session);
        return c;
    }

    /// <summary>Uploads <paramref name="bytes"/> as the multipart field <c>file</c>.</summary>
    public static Task<HttpResponseMessage> Upload(HttpClient client, byte[] bytes, string fileName = "emoji.png", string field = "file")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, field, fileName);
        return client.PostAsync("/api/images", form);
    }

    /// <summary>Uploads the bundled emoji; returns the new session's id.</summary>
    public async Task<string> NewSession()
    {
        var r = await Upload(Client(), File.ReadAllBytes(Emoji));
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("session").GetString()!;
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>A PNG response decoded to <c>[C, H, W]</c> in [-1, 1].</summary>
    public static async Task<Tensor> Png(HttpResponseMessage r)
    {
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
        return ImageReader.Decode(await r.Content.ReadAsByteArrayAsync(), "response").ToTensor();
    }

    /// <summary>Asserts an RFC 7807 problem with <paramref name="status"/>; returns its detail (and hint).</summary>
    public static async Task<string> Problem(HttpResponseMessage r, int status)
    {
        string body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status}, got {(int)r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        string detail = json.RootElement.GetProperty("detail").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain("   at ", body); // no stack trace
        return json.RootElement.TryGetProperty("hint", out var hint) ? detail + " | " + hint.GetString() : detail;
    }
}
