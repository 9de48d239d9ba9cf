using GanSharp.Imaging;
using GanSharp.IO;
using GanSharp.Methods.Editing;
using GanSharp.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GanSharp.Tests.Studio;

/// <summary>
/// The Studio page in a real browser: Debian's chromium driven by Playwright (the system browser; Playwright never
/// downloads one) against the real Kestrel server on a free localhost port.
/// </summary>
public class StudioBrowserTests
{
    /// <summary>Debian's chromium binary (scripts/bootstrap.sh installs the package).</summary>
    public const string Chromium = "/usr/lib/chromium/chromium";

    /// <summary>The bundled emoji the test paints on (a yellow cat face) and the concept it paints (green: with the 35,000-step generator, red and dark in this thin stroke came out gray-blue and orange; bench/README.md, editing).</summary>
    const string Emoji = "1f639.png", Concept = "green";

    [Fact]
    public async Task PaintAConceptInTheBrowserUndoAndDownload()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (scripts/bootstrap.sh does)");
        var options = StudioFixture.LoadOptions() with { };
        options = options with { Paint = new PaintOptions(InvertSteps: 40, FeatureSteps: 10, FitSteps: 20, RenderSteps: 20) };
        await using var app = StudioServer.Build(options, b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = new[] { "--no-sandbox" },
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 980, Height = 640 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(url);
        await page.Locator($".concept[data-concept={Concept}]").WaitForAsync();

        // Upload a bundled emoji (64×64: the server resizes it to the model's 32×32 and says so).
        await page.SetInputFilesAsync("#file", Path.Combine(Path.GetDirectoryName(StudioFixture.Emoji)!, Emoji));
        await Assertions.Expect(page.Locator("#status-text")).ToContainTextAsync("Ready", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("#note")).ToContainTextAsync("resized");

        // Pick insert + the concept, paint a horizontal stroke across the lower middle; the preview comes on mouse-up.
        await page.ClickAsync($".concept[data-concept={Concept}]");
        await page.CheckAsync("#insert");
        var box = (await page.Locator("#mask").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.30f, box.Y + box.Height * 0.62f);
        await page.Mouse.DownAsync();
        for (int i = 1; i <= 10; i++) await page.Mouse.MoveAsync(box.X + box.Width * (0.30f + 0.04f * i), box.Y + box.Height * 0.62f);
        await page.Mouse.UpAsync();
        await page.WaitForSelectorAsync("body[data-pending='1']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#status-text")).ToContainTextAsync($"Preview of insert {Concept}");

        var mask = await page.EvaluateAsync<int[]>("() => studio.maskBits()");
        var after = await page.EvaluateAsync<int[]>("() => studio.pixels('result')");
        var before = await page.EvaluateAsync<int[]>("() => studio.pixels('before')");
        Assert.Equal(32 * 32, mask.Length);
        Assert.Equal(4 * 32 * 32, after.Length);
        int painted = mask.Sum();
        Assert.InRange(painted, 20, 400);
        double inside = 0, outside = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            double d = 0;
            for (int ch = 0; ch < 3; ch++) d += Math.Abs(after[4 * i + ch] - before[4 * i + ch]);
            if (mask[i] != 0) inside += d; else outside = Math.Max(outside, d);
        }
        inside /= 3.0 * painted;
        Assert.True(inside > 5, $"the preview changes inside the stroke (mean {inside:0.0} levels)");
        Assert.True(outside <= 3, $"the preview keeps the photo outside the stroke (max {outside} levels)");

        // Apply, then the screenshot the README shows: the edit with the before/after split in the middle.
        await page.ClickAsync("#apply");
        await page.WaitForSelectorAsync("body[data-undo='1'][data-pending='0']");
        await page.EvaluateAsync("() => { const c = document.getElementById('compare'); c.value = 50; c.dispatchEvent(new Event('input')); }");
        var shot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        // The checkout's docs/studio.png is only rewritten on request (GANSHARP_UPDATE_DOCS=1); otherwise the test leaves the
        // checkout alone and writes the screenshot to the temporary folder.
        var docs = Environment.GetEnvironmentVariable("GANSHARP_UPDATE_DOCS") == "1"
            ? Path.Combine(Path.GetDirectoryName(StudioFixture.Assets)!, "docs")
            : Directory.CreateTempSubdirectory("gansharp-studio-shot-").FullName;
        Directory.CreateDirectory(docs);
        AtomicFile.WriteAllBytes(Path.Combine(docs, "studio.png"), shot);
        Assert.True(new FileInfo(Path.Combine(docs, "studio.png")).Length > 10_000);

        // Undo (the photo again), redo, download (the edit).
        await page.ClickAsync("#undo");
        await page.WaitForSelectorAsync("body[data-undo='0'][data-redo='1']");
        var undone = await page.EvaluateAsync<int[]>("() => studio.pixels('result')");
        Assert.Equal(before, undone);
        await page.ClickAsync("#redo");
        await page.WaitForSelectorAsync("body[data-undo='1'][data-redo='0']");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download"));
        Assert.Equal("gansharp-studio.png", download.SuggestedFilename);
        string saved = Path.Combine(Path.GetTempPath(), $"gansharp-studio-{Guid.NewGuid():N}.png");
        try
        {
            await download.SaveAsAsync(saved);
            var file = ImageReader.Read(saved);
            Assert.Equal(32, file.Width);
            var pixels = file.Pixels; // [C, H, W] in [-1, 1]
            for (int i = 0; i < 32 * 32; i++)
                for (int ch = 0; ch < 3; ch++)
                    Assert.True(Math.Abs(Math.Round((pixels[ch * 1024 + i] + 1) * 127.5) - after[4 * i + ch]) <= 1, $"download pixel {i} channel {ch}");
        }
        finally { File.Delete(saved); }

        // Inpaint a painted region from the page: it is restored, committed (a second undo step) and the mask is cleared.
        await page.Mouse.MoveAsync(box.X + box.Width * 0.2f, box.Y + box.Height * 0.2f);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.35f, box.Y + box.Height * 0.25f);
        await page.Mouse.UpAsync();
        await page.WaitForSelectorAsync("body[data-pending='1']");
        await page.ClickAsync("#inpaint");
        await page.WaitForSelectorAsync("body[data-undo='2'][data-pending='0']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#status-text")).ToContainTextAsync("Restored (inpaint)");
        Assert.Equal(0, (await page.EvaluateAsync<int[]>("() => studio.maskBits()")).Sum());
        Assert.Empty(errors);
        await app.StopAsync();
    }
}
