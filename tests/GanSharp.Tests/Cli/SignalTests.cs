using System.Diagnostics;
using GanSharp.Tests.IO;

namespace GanSharp.Tests.Cli;

public class SignalTests
{
    /// <summary>The built CLI next to this test build (same configuration and framework).</summary>
    internal static string CliDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // …/bin/<Configuration>/<tfm>
        string tfm = testBin.Name, configuration = testBin.Parent!.Name;
        var root = Path.GetFullPath(Path.Combine(DataCommandTests.Assets, ".."));
        return Path.Combine(root, "src", "GanSharp.Cli", "bin", configuration, tfm, "GanSharp.Cli.dll");
    }

    [Fact]
    public async Task SigtermStopsTrainingWithACheckpointAndExitCode143()
    {
        var dll = CliDll();
        Assert.True(File.Exists(dll), $"the CLI is not built at {dll}");
        using var dir = new ScratchFolder("sigterm");
        var runs = dir.Combine("runs");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "train", "gan", "--preset", "smoke", "--steps", "1000000", "--checkpoint-every", "1000000", "--sample-every", "0",
                     "--runs", runs, "--assets", DataCommandTests.Assets, "--threads", "1", "--device", "cpu" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            // Wait until training has logged a step, then send SIGTERM (not Ctrl-C).
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(90) && !(Directory.Exists(runs) && Directory.GetFiles(runs, "stats.jsonl", SearchOption.AllDirectories)
                       .Any(f => new FileInfo(f).Length > 0)))
                Thread.Sleep(200);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "training did not start");
            using (var kill = Process.Start("kill", $"-TERM {process.Id}")) kill!.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the CLI did not stop after SIGTERM");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        string err = await stderr, output = await stdout;
        Assert.True(process.ExitCode == 143, $"exit code {process.ExitCode}\n{err}\n{output}");
        Assert.Contains("SIGTERM received", err);
        Assert.Contains("stopped at step", output);
        var run = Directory.GetDirectories(runs).Single();
        var checkpoints = Directory.GetDirectories(Path.Combine(run, "checkpoints"), "step-*");
        Assert.NotEmpty(checkpoints); // saved on the way out, long before the step-1000000 schedule
    }

    /// <summary><c>GANSHARP_RUNS</c> moves the default runs root of every verb: training without <c>--runs</c> lands there and <c>-c latest</c> finds it.</summary>
    [Fact]
    public async Task TheRunsVariableMovesTheDefaultRunsRootOfEveryVerb()
    {
        using var dir = new ScratchFolder("runs-root");
        var runs = dir.Combine("elsewhere");
        async Task<(int Code, string Err)> Cli(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.Path };
            start.ArgumentList.Add(CliDll());
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["GANSHARP_RUNS"] = runs;
            using var p = Process.Start(start)!;
            var err = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, await err);
        }
        var (code, err) = await Cli("train", "gan", "--preset", "smoke", "--assets", DataCommandTests.Assets, "--threads", "1", "--device", "cpu");
        Assert.True(code == 0, err);
        var run = Assert.Single(Directory.GetDirectories(runs));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "runs")));
        (code, err) = await Cli("sample", "-c", "latest", "-n", "4", "--threads", "1", "--device", "cpu");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(run, "samples", "sample-grid-seed0.png")));
    }
}
