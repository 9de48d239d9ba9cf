using System.CommandLine;
using System.Diagnostics;
using GanSharp.Platform;
using GanSharp.Reports;

namespace GanSharp.Cli.Commands;

/// <summary>
/// <c>gansharp demo</c>: the main job. Builds an HTML report from the bundled samples and checkpoints, with no
/// download and no GPU. Each capability contributes one section (see <see cref="DemoSections"/>).
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("demo", "Write an HTML report (demo-report/index.html) from the bundled samples and checkpoints");
        var output = new Option<string>("--out", "-o") { Description = "Report folder", DefaultValueFactory = _ => "demo-report" };
        var assets = new Option<string?>("--assets") { Description = "Bundled assets folder (default: the checkout's assets/)" };
        cmd.Options.Add(output);
        cmd.Options.Add(assets);
        var compute = ComputeOptions.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var device = compute.Apply(parse);
            var demo = new DemoContext(BundledAssets.Locate(parse.GetValue(assets)), device, ctx);
            var report = new HtmlReport(parse.GetValue(output)!, "GanSharp demo");
            try
            {
                foreach (var section in DemoSections.All)
                {
                    var sw = Stopwatch.StartNew();
                    ctx.Error.WriteLine($"demo: {section.Title}…");
                    section.Render(demo, report);
                    ctx.Error.WriteLine($"demo: {section.Title} done in {sw.Elapsed.TotalSeconds:0.0} s");
                }
                var index = report.Publish();
                ctx.Output.WriteLine($"wrote {index}");
                return ExitCodes.Ok;
            }
            catch
            {
                report.Abandon();
                throw;
            }
        });
        return cmd;
    }
}

/// <summary>What a demo section may use.</summary>
public sealed record DemoContext(string AssetsFolder, TorchSharp.torch.Device Device, CliContext Cli);

/// <summary>One section of the demo report.</summary>
public interface IDemoSection
{
    /// <summary>The section heading.</summary>
    string Title { get; }

    /// <summary>Adds the section to the report.</summary>
    void Render(DemoContext demo, HtmlReport report);
}

/// <summary>The demo's sections, in order. Each capability adds its own here.</summary>
public static class DemoSections
{
    /// <summary>All sections.</summary>
    public static IReadOnlyList<IDemoSection> All { get; } = new IDemoSection[]
    {
        new DoctorSection(),
        new DataDemoSection(),
        new GanDemoSection(),
        new InversionDemoSection(),
        new EditingDemoSection(),
        new TranslationDemoSection(),
        new AnomalyDemoSection(),
    };
}

/// <summary>The doctor summary.</summary>
public sealed class DoctorSection : IDemoSection
{
    /// <inheritdoc />
    public string Title => "This machine";

    /// <inheritdoc />
    public void Render(DemoContext demo, HtmlReport report)
    {
        var r = DoctorReport.Collect();
        report.Section(Title, "What `gansharp doctor` reports: versions, devices, the TorchSharp native-load fix and the oneDNN numerics self-check.")
            .Table(new[] { "item", "value" }, DoctorCommand.Rows(r).Select(p => (IReadOnlyList<string>)new[] { p.Item1, p.Item2 }))
            .EndSection();
    }
}

