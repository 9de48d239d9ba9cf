using System.Globalization;
using System.Net;
using System.Text;

namespace GanSharp.Reports;

/// <summary>
/// A static HTML report: a title, sections with text, tables and PNG images, written as <c>index.html</c>
/// beside its images. Built in a temporary folder and renamed into place, so a failed run never leaves a
/// half report under the final name. Used by <c>gansharp demo</c>, evaluations and benchmarks.
/// </summary>
public sealed class HtmlReport
{
    readonly StringBuilder body = new();
    readonly string title;
    int images;

    /// <summary>Starts a report in a staging folder beside <paramref name="outputFolder"/>.</summary>
    public HtmlReport(string outputFolder, string title)
    {
        OutputFolder = Path.GetFullPath(outputFolder);
        this.title = title;
        var parent = Path.GetDirectoryName(OutputFolder) ?? ".";
        Directory.CreateDirectory(parent);
        StagingFolder = Path.Combine(parent, "." + Path.GetFileName(OutputFolder) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(StagingFolder);
    }

    /// <summary>The final folder (exists only after <see cref="Publish"/>).</summary>
    public string OutputFolder { get; }

    /// <summary>Where files are written until <see cref="Publish"/>.</summary>
    public string StagingFolder { get; }

    static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Starts a section with a heading and an optional introduction.</summary>
    public HtmlReport Section(string heading, string? intro = null)
    {
        body.Append("<section><h2>").Append(E(heading)).Append("</h2>\n");
        if (intro != null) Paragraph(intro);
        return this;
    }

    /// <summary>Closes the current section.</summary>
    public HtmlReport EndSection()
    {
        body.Append("</section>\n");
        return this;
    }

    /// <summary>A paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        body.Append("<p>").Append(E(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A preformatted block (commands, logs).</summary>
    public HtmlReport Code(string text)
    {
        body.Append("<pre>").Append(E(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>A table with a header row.</summary>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        body.Append("<table><thead><tr>");
        foreach (var h in header) body.Append("<th>").Append(E(h)).Append("</th>");
        body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            body.Append("<tr>");
            foreach (var c in row) body.Append("<td>").Append(E(c)).Append("</td>");
            body.Append("</tr>\n");
        }
        body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>
    /// Reserves a file name for an image in the report and returns its full staging path; the caller writes
    /// the PNG there, then calls <see cref="Image"/> with the returned relative name.
    /// </summary>
    public (string FullPath, string RelativeName) NewImagePath(string stem)
    {
        var safe = new string(stem.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '-').ToArray());
        var name = string.Create(CultureInfo.InvariantCulture, $"img/{++images:000}-{safe}.png");
        var full = Path.Combine(StagingFolder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, name);
    }

    /// <summary>Shows an image already written under the staging folder, with a caption.</summary>
    public HtmlReport Image(string relativeName, string caption, int? displayWidth = null)
    {
        if (!File.Exists(Path.Combine(StagingFolder, relativeName)))
            throw new GanSharpException($"report image {relativeName} was not written");
        var width = displayWidth is { } w ? string.Create(CultureInfo.InvariantCulture, $" width=\"{w}\"") : "";
        body.Append("<figure><img src=\"").Append(E(relativeName)).Append("\" alt=\"").Append(E(caption)).Append('"').Append(width)
            .Append(" style=\"image-rendering: pixelated\"><figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>Writes <c>index.html</c> and moves the staging folder to <see cref="OutputFolder"/> (replacing an older report).</summary>
    public string Publish()
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
            .Append("th{background:#f3f3f3}figure{display:inline-block;margin:0.5em 1em 0.5em 0}figcaption{font-size:0.9em;color:#555}")
            .Append("pre{background:#f6f6f6;padding:0.5em;overflow-x:auto}section{margin-bottom:2em}")
            .Append("</style></head><body>\n<h1>").Append(E(title)).Append("</h1>\n")
            .Append("<p class=\"meta\">Generated ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(" by GanSharp.</p>\n")
            .Append(body).Append("</body></html>\n");
        File.WriteAllText(Path.Combine(StagingFolder, "index.html"), html.ToString());
        string? old = null;
        if (Directory.Exists(OutputFolder))
        {
            old = OutputFolder + ".old-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(OutputFolder, old);
        }
        Directory.Move(StagingFolder, OutputFolder);
        if (old != null) Directory.Delete(old, true);
        return Path.Combine(OutputFolder, "index.html");
    }

    /// <summary>Removes the staging folder (after a failure).</summary>
    public void Abandon()
    {
        if (Directory.Exists(StagingFolder)) Directory.Delete(StagingFolder, true);
    }
}
