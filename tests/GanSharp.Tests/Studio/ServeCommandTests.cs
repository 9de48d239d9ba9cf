using System.Text.Json;
using GanSharp.Cli;
using GanSharp.Tests.Cli;
using GanSharp.Tests.IO;

namespace GanSharp.Tests.Studio;

/// <summary><c>gansharp serve</c>: finds the bundled model, prints the URL, serves until cancelled; refuses a folder without models.</summary>
public class ServeCommandTests
{
    [Fact]
    public async Task ServeListsTheBundledModelPrintsItsUrlAndStopsOnCancel()
    {
        var output = new StringWriter();
        var o = TextWriter.Synchronized(output);
        var e = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = GanSharpCli.RunAsync(new[] { "serve", "--port", "0", "--threads", "1", "--steps", "5" }, o, TextWriter.Synchronized(e), cts.Token);
        string? url = null;
        for (int i = 0; i < 600 && url == null && !run.IsCompleted; i++)
        {
            await Task.Delay(100);
            var m = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"at (http://127\.0\.0\.1:\d+)");
            if (m.Success) url = m.Groups[1].Value;
        }
        Assert.True(url != null, "no URL printed: " + output + e);
        Assert.Contains("models in", output.ToString());
        Assert.Contains("stylegan2-emoji", output.ToString());
        using (var http = new HttpClient())
        {
            using var model = JsonDocument.Parse(await http.GetStringAsync(url + "/api/model"));
            Assert.Equal("stylegan2-emoji", model.RootElement.GetProperty("name").GetString());
            Assert.Equal("Twitter", model.RootElement.GetProperty("translator").GetProperty("b").GetString()); // the bundled translator is offered
            Assert.Contains("GanSharp Studio", await http.GetStringAsync(url + "/"));
        }
        cts.Cancel();
        Assert.Equal(ExitCodes.Ok, await run);
    }

    [Fact]
    public async Task HelpListsServeAndItsOptions()
    {
        var (code, output, _) = await CliTests.Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("serve", output);
        (code, output, _) = await CliTests.Run("serve", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var option in new[] { "--port", "--host", "--models", "--model", "--steps", "--threads" }) Assert.Contains(option, output);
        Assert.Contains("127.0.0.1", output);
    }

    [Fact]
    public async Task ServeRefusesAFolderWithoutModelsAndAnUnknownModel()
    {
        using var dir = new ScratchFolder("serve");
        var (code, _, err) = await CliTests.Run("serve", "--models", dir.Path, "--threads", "1");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("no paintable model", err);
        (code, _, err) = await CliTests.Run("serve", "--model", "nope", "--threads", "1", "--port", "0");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("stylegan2-emoji", err); // lists what was found
        (code, _, err) = await CliTests.Run("serve", "--port", "70000");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--port", err);
    }
}
