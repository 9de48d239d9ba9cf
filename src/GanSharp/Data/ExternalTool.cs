using System.ComponentModel;
using System.Diagnostics;

namespace GanSharp.Data;

/// <summary>Runs a command-line tool that fetches data (npm, apt-get, dpkg-deb) and turns its failures into clear errors.</summary>
static class ExternalTool
{
    /// <summary>
    /// Runs <paramref name="tool"/> with <paramref name="arguments"/> in <paramref name="folder"/>; returns its standard output.
    /// A missing tool (hint: <paramref name="installHint"/>), a timeout or a non-zero exit (hint: <paramref name="failureHint"/>) is a <see cref="GanSharpException"/> with the tool's command line
    /// and the last lines of its error output.
    /// </summary>
    public static string Run(string tool, IEnumerable<string> arguments, string folder, TimeSpan timeout, string installHint, string failureHint)
    {
        var psi = new ProcessStartInfo(OperatingSystem.IsWindows() && tool == "npm" ? "npm.cmd" : tool)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        string commandLine = tool + " " + string.Join(" ", psi.ArgumentList);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new GanSharpException($"{tool} could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new GanSharpException($"{tool} is needed for `{commandLine}` but was not found ({e.Message}).", installHint, e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new GanSharpException($"`{commandLine}` did not finish within {timeout.TotalMinutes:0} minutes.", failureHint);
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var err = stderr.Result.Trim();
                var lastLines = string.Join(" | ", err.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3));
                throw new GanSharpException($"`{commandLine}` failed with exit code {process.ExitCode}: {lastLines}", failureHint);
            }
            return stdout.Result;
        }
    }
}
