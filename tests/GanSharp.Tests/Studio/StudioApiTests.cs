using System.Net;
using System.Text.Json;
using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Studio;
using GanSharp.Tests.Imaging;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using static TorchSharp.torch;

namespace GanSharp.Tests.Studio;

/// <summary>The Studio's HTTP API on a test server over the bundled StyleGAN2 emoji model (few-step fits).</summary>
public class StudioApiTests : IClassFixture<StudioFixture>
{
    readonly StudioFixture f;
    public StudioApiTests(StudioFixture fixture) => f = fixture;

    /// <summary>A 32×32 mask PNG painted on rows and columns 10..21, as base64.</summary>
    static string SquareMask()
    {
        var m = -ones(3, 32, 32);
        m[.., 10..22, 10..22] = 1;
        return Convert.ToBase64String(ImageWriter.EncodePng(m));
    }

    static Tensor Inside()
    {
        var inside = zeros(new long[] { 3, 32, 32 }, dtype: ScalarType.Bool);
        inside[.., 10..22, 10..22] = true;
        return inside;
    }

    [Fact]
    public async Task PageModelAndConceptsAreServedWithoutExternalReferences()
    {
        var c = f.Client();
        foreach (var path in new[] { "/", "/studio.js", "/studio.css" })
        {
            var r = await c.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            string text = await r.Content.ReadAsStringAsync();
            Assert.True(text.Length > 500, path);
            Assert.DoesNotContain("http://", text);  // no CDN: the page works offline
            Assert.DoesNotContain("https://", text);
        }
        Assert.Contains("GanSharp Studio", await c.GetStringAsync("/"));
        using var concepts = JsonDocument.Parse(await c.GetStringAsync("/api/concepts"));
        var names = concepts.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Equal(f.Options.Dissection.Concepts, names);
        Assert.Contains("yellow", names);
        Assert.Equal(f.Options.Paint.Units, concepts.RootElement[0].GetProperty("units").GetArrayLength());
        // The units an edit sets, per action, as GAN Paint ranks them.
        var red = concepts.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "red");
        Assert.Equal(f.Options.Dissection.TopUnits("red", f.Options.Paint.Units, PaintAction.Insert), red.GetProperty("insertUnits").EnumerateArray().Select(u => u.GetInt32()));
        Assert.Equal(f.Options.Dissection.TopUnits("red", f.Options.Paint.Units, PaintAction.Remove), red.GetProperty("removeUnits").EnumerateArray().Select(u => u.GetInt32()));
        Assert.Equal(f.Options.Dissection.HasCausalEffects, red.GetProperty("insertEffect").ValueKind == JsonValueKind.Number);
        using var model = JsonDocument.Parse(await c.GetStringAsync("/api/model"));
        Assert.Equal(32, model.RootElement.GetProperty("width").GetInt32());
        Assert.Equal("stylegan2-emoji", model.RootElement.GetProperty("name").GetString());
        await StudioFixture.Problem(await c.GetAsync("/api/nothing-here"), 404);
    }

    [Fact]
    public async Task UploadPreviewApplyUndoRedoRenderAndDownload()
    {
        var up = await StudioFixture.Upload(f.Client(), File.ReadAllBytes(StudioFixture.Emoji));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        using var info = JsonDocument.Parse(await up.Content.ReadAsStringAsync());
        string id = info.RootElement.GetProperty("session").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Contains(up.Headers.GetValues("Set-Cookie"), v => v.StartsWith(StudioSessions.CookieName + "=" + id, StringComparison.Ordinal) && v.Contains("httponly"));
        Assert.Equal(64, info.RootElement.GetProperty("sourceWidth").GetInt32());
        Assert.Contains("resized", info.RootElement.GetProperty("note").GetString()); // the 64×64 emoji is fitted to 32×32 with a note
        var c = f.Client(id);

        var original = await StudioFixture.Png(await c.GetAsync("/api/original.png"));
        Assert.Equal(new long[] { 3, 32, 32 }, original.shape);
        var reconstruction = await StudioFixture.Png(await c.GetAsync("/api/reconstruction.png"));
        Assert.Equal(original.shape, reconstruction.shape);

        // Preview: the concept appears inside the mask; outside it the photo is kept pixel for pixel.
        var r = await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", action = "insert", mask = SquareMask() }));
        var preview = await StudioFixture.Png(r);
        Assert.Equal(8, r.Headers.GetValues("X-Units").Single().Split(',').Length);
        Assert.Equal("1", r.Headers.GetValues("X-Pending").Single());
        var diff = (preview - original).abs();
        var inside = Inside();
        Assert.True(diff.masked_select(inside.logical_not()).max().item<float>() < 1.5f / 255, "outside the mask the photo is kept");
        Assert.True(diff.masked_select(inside).mean().item<float>() > 0.02f, $"inside the mask the edit shows (mean change {diff.masked_select(inside).mean().item<float>()})");
        // Not committed yet: the result is still the photo.
        Assert.True((await StudioFixture.Png(await c.GetAsync("/api/result.png")) - original).abs().max().item<float>() < 1e-6f);

        r = await c.PostAsync("/api/edit/apply", null);
        Assert.True((await StudioFixture.Png(r) - preview).abs().max().item<float>() < 1e-6f);
        Assert.Equal("1", r.Headers.GetValues("X-Undo").Single());
        await StudioFixture.Problem(await c.PostAsync("/api/edit/apply", null), 409); // nothing pending any more

        r = await c.PostAsync("/api/edit/undo", null);
        Assert.True((await StudioFixture.Png(r) - original).abs().max().item<float>() < 1e-6f);
        Assert.Equal("1", r.Headers.GetValues("X-Redo").Single());
        await StudioFixture.Problem(await c.PostAsync("/api/edit/undo", null), 409);
        r = await c.PostAsync("/api/edit/redo", null);
        Assert.True((await StudioFixture.Png(r) - preview).abs().max().item<float>() < 1e-6f);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/redo", null), 409);

        // A second edit (strokes, remove) stacks on the first: outside its mask the first edit is kept.
        var strokes = new[] { new { size = 4.0, erase = false, points = new[] { new[] { 2.0, 2.0 }, new[] { 6.0, 2.0 } } } };
        r = await c.PostAsync("/api/edit/render", StudioFixture.Json(new { concept = "dark", action = "remove", strokes }));
        var rendered = await StudioFixture.Png(r);
        Assert.Equal("2", r.Headers.GetValues("X-Undo").Single());
        Assert.Equal("0", r.Headers.GetValues("X-Pending").Single());
        Assert.True((rendered - preview).abs().masked_select(inside).max().item<float>() < 1.5f / 255, "the first edit is kept where the second did not paint");

        var download = await c.GetAsync("/api/result.png?download=1");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True((await StudioFixture.Png(download) - rendered).abs().max().item<float>() < 1e-6f);

        using var state = JsonDocument.Parse(await c.GetStringAsync("/api/session"));
        Assert.Equal(2, state.RootElement.GetProperty("undo").GetInt32());
        Assert.True(state.RootElement.GetProperty("hasImage").GetBoolean());
        // POST /api/session returns the same session; without one it starts a new one, with no image yet.
        using var same = JsonDocument.Parse(await (await c.PostAsync("/api/session", null)).Content.ReadAsStringAsync());
        Assert.Equal(id, same.RootElement.GetProperty("session").GetString());
        var started = await f.Client().PostAsync("/api/session", null);
        using var fresh = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        Assert.NotEqual(id, fresh.RootElement.GetProperty("session").GetString());
        Assert.False(fresh.RootElement.GetProperty("hasImage").GetBoolean());
        Assert.Equal(0, fresh.RootElement.GetProperty("redo").GetInt32());
        Assert.Contains(started.Headers.GetValues("Set-Cookie"), v => v.StartsWith(StudioSessions.CookieName + "=", StringComparison.Ordinal));
        await StudioFixture.Problem(await f.Client(fresh.RootElement.GetProperty("session").GetString()).GetAsync("/api/result.png"), 400); // no image yet
    }

    [Fact]
    public async Task TranslationOfTheWholeImageIsTheTranslatorsOutputAndCanBeUndone()
    {
        using var model = JsonDocument.Parse(await f.Client().GetStringAsync("/api/model"));
        var t = model.RootElement.GetProperty("translator");
        Assert.Equal(("Google", "Twitter", "cyclegan"), (t.GetProperty("a").GetString(), t.GetProperty("b").GetString(), t.GetProperty("method").GetString()));
        string id = await f.NewSession();
        var c = f.Client(id);
        var original = await StudioFixture.Png(await c.GetAsync("/api/original.png"));
        var r = await c.PostAsync("/api/translate/a2b", null);
        var translated = await StudioFixture.Png(r);
        Assert.Equal("1", r.Headers.GetValues("X-Undo").Single());
        using (no_grad())
        {
            var expected = f.Options.Translator!.TranslateAnySize(original.unsqueeze(0), GanSharp.Methods.Translation.TranslationDirection.AToB)[0];
            Assert.True((translated - expected).abs().max().item<float>() < 1.5f / 255, "the page's translation is the translator's output");
        }
        Assert.True((translated - original).abs().max().item<float>() > 4f / 255, "and it changes the image");
        r = await c.PostAsync("/api/translate/b2a", null);                       // stacks on the result
        await StudioFixture.Png(r);
        Assert.Equal("2", r.Headers.GetValues("X-Undo").Single());
        await c.PostAsync("/api/edit/undo", null);
        Assert.True((await StudioFixture.Png(await c.PostAsync("/api/edit/undo", null)) - original).abs().max().item<float>() < 1e-6f);
        Assert.Contains("a2b or b2a", await StudioFixture.Problem(await c.PostAsync("/api/translate/sideways", null), 404));

        // A server without a translator says so.
        await using var bare = StudioServer.Build(f.Options with { Translator = null }, b => b.WebHost.UseTestServer());
        await bare.StartAsync();
        var client = bare.GetTestClient();
        Assert.Contains("no translation model", await StudioFixture.Problem(await client.PostAsync("/api/translate/a2b", null), 404));
        using var bareModel = JsonDocument.Parse(await client.GetStringAsync("/api/model"));
        Assert.Equal(JsonValueKind.Null, bareModel.RootElement.GetProperty("translator").ValueKind);
    }

    [Fact]
    public async Task RestorationsInpaintColorizeAndDenoiseAndCanBeUndone()
    {
        string id = await f.NewSession();
        var c = f.Client(id);
        var original = await StudioFixture.Png(await c.GetAsync("/api/original.png"));
        var r = await c.PostAsync("/api/restore/inpaint", StudioFixture.Json(new { mask = SquareMask() }));
        var restored = await StudioFixture.Png(r);
        Assert.Equal("1", r.Headers.GetValues("X-Undo").Single());
        var diff = (restored - original).abs();
        Assert.True(diff.masked_select(Inside().logical_not()).max().item<float>() < 1.5f / 255, "outside the painted region the image is kept");
        Assert.True(diff.masked_select(Inside()).max().item<float>() > 1f / 255, "inside it the generator's image fills in");
        Assert.True((await StudioFixture.Png(await c.PostAsync("/api/edit/undo", null)) - original).abs().max().item<float>() < 1e-6f);
        var all = Convert.ToBase64String(ImageWriter.EncodePng(ones(3, 32, 32)));
        Assert.Contains("missing", await StudioFixture.Problem(await c.PostAsync("/api/restore/inpaint", StudioFixture.Json(new { mask = all })), 400));
        await StudioFixture.Problem(await c.PostAsync("/api/restore/inpaint", StudioFixture.Json(new { strokes = Array.Empty<object>() })), 400);

        // Colorize keeps the gray levels and changes the colours; denoise gives the generator's image; both stack and undo.
        r = await c.PostAsync("/api/restore/colorize", null);
        var colorized = await StudioFixture.Png(r);
        Assert.Equal("1", r.Headers.GetValues("X-Undo").Single());
        var gray = ColorOps.RgbToGray(original.unsqueeze(0));
        // Everywhere, also at white and black: the guessed colour is scaled into range, not clipped (PNG rounding aside).
        var grayError = (ColorOps.RgbToGray(colorized.unsqueeze(0)) - gray).abs();
        Assert.True(grayError.max().item<float>() < 3f / 255, $"colorize keeps the gray levels (max error {grayError.max().item<float>() * 127.5:0.0} levels)");
        Assert.True((colorized - original).abs().max().item<float>() > 2f / 255, "and changes the colours");
        r = await c.PostAsync("/api/restore/denoise", null);
        await StudioFixture.Png(r);
        Assert.Equal("2", r.Headers.GetValues("X-Undo").Single());
        Assert.Contains("inpaint, colorize or denoise", await StudioFixture.Problem(await c.PostAsync("/api/restore/sr", null), 404));
    }

    [Fact]
    public async Task BadUploadsAreProblemsThatNameNoServerPath()
    {
        var c = f.Client();
        string detail = await StudioFixture.Problem(await StudioFixture.Upload(c, "this is not an image"u8.ToArray(), "notes.png"), 400);
        Assert.Contains("upload", detail);
        detail = await StudioFixture.Problem(await StudioFixture.Upload(c, TestImages.BombPng(60000, 60000), "bomb.png"), 400);
        Assert.Contains("60000", detail);
        await StudioFixture.Problem(await StudioFixture.Upload(c, new byte[StudioFixture.UploadLimit * 4]), 413);
        await StudioFixture.Problem(await StudioFixture.Upload(c, File.ReadAllBytes(StudioFixture.Emoji), field: "image"), 400);
        await StudioFixture.Problem(await c.PostAsync("/api/images", new StringContent("x")), 415);
        await StudioFixture.Problem(await StudioFixture.Upload(c, Array.Empty<byte>()), 400);

        // A path-like file name is only a label: never opened, written or echoed.
        string evil = "../../../../etc/passwd";
        detail = await StudioFixture.Problem(await StudioFixture.Upload(c, "GIF89a-not-really"u8.ToArray(), evil), 400);
        Assert.DoesNotContain("passwd", detail);
        var ok = await StudioFixture.Upload(c, File.ReadAllBytes(StudioFixture.Emoji), evil);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        string body = await ok.Content.ReadAsStringAsync();
        Assert.DoesNotContain("passwd", body);
        Assert.DoesNotContain(StudioFixture.Assets, body);
    }

    [Fact]
    public async Task BadEditsAndForeignSessionsAreRefused()
    {
        string id = await f.NewSession();
        var c = f.Client(id);
        string detail = await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "unicorn", mask = SquareMask() })), 400);
        Assert.Contains("unicorn", detail);
        Assert.Contains("yellow", detail); // lists the known concepts
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", action = "explode", mask = SquareMask() })), 400);
        detail = await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", mask = Convert.ToBase64String(ImageWriter.EncodePng(-ones(3, 32, 32))) })), 400);
        Assert.Contains("empty", detail);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow" })), 400);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", mask = "%%%" })), 400);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", mask = Convert.ToBase64String(TestImages.BombPng(60000, 60000)) })), 400);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")), 400);
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", new StringContent("concept=yellow")), 415);
        var huge = StudioFixture.Json(new { concept = "yellow", mask = new string('A', (int)f.Options.MaxJsonBytes + 10) });
        await StudioFixture.Problem(await c.PostAsync("/api/edit/preview", huge), 413);

        // Another session's state is out of reach: an unknown (well-formed) id, a malformed id and no id at all.
        string other = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        foreach (var path in new[] { "/api/result.png", "/api/session", "/api/original.png" })
        {
            await StudioFixture.Problem(await f.Client(other).GetAsync(path), 404);
            await StudioFixture.Problem(await f.Client("../" + id).GetAsync(path), 400);
            await StudioFixture.Problem(await f.Client().GetAsync(path), 404);
        }
        await StudioFixture.Problem(await f.Client(other).PostAsync("/api/edit/preview", StudioFixture.Json(new { concept = "yellow", mask = SquareMask() })), 404);
        // An upload that names an unknown session gets a new random id; it never adopts the client's.
        var r = await StudioFixture.Upload(f.Client(other), File.ReadAllBytes(StudioFixture.Emoji));
        using var json = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        string fresh = json.RootElement.GetProperty("session").GetString()!;
        Assert.NotEqual(other, fresh);
        Assert.NotEqual(id, fresh);
        // The first session is unaffected by the second.
        Assert.Equal(0, JsonDocument.Parse(await c.GetStringAsync("/api/session")).RootElement.GetProperty("undo").GetInt32());
    }
}
