using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GanSharp.Metrics;

/// <summary>One line of a <c>metric-&lt;name&gt;.jsonl</c> file.</summary>
/// <param name="Step">Training step (or checkpoint step) the metric was measured at.</param>
/// <param name="Time">When the line was written (UTC).</param>
/// <param name="Metric">The metric's name.</param>
/// <param name="Values">Named values; non-finite values round-trip (written as <c>"NaN"</c>, <c>"Infinity"</c>).</param>
/// <param name="SampleCount">N, the real and generated sample count.</param>
/// <param name="Seconds">Time the metric took.</param>
/// <param name="Checkpoint">The checkpoint measured, when known.</param>
public sealed record MetricLogEntry(long Step, DateTime Time, string Metric, IReadOnlyDictionary<string, double> Values, int SampleCount, double Seconds, string? Checkpoint);

/// <summary>
/// Appends metric results to <c>metric-&lt;name&gt;.jsonl</c> in a run folder, one JSON object per line
/// (<c>{"step":…,"time":…,"metric":"fid","samples":N,"seconds":…,"results":{"fid":…}}</c>, time in Unix seconds),
/// as stylegan2-ada does. Each line is written whole and flushed to disk before <see cref="Append"/> returns; a line
/// cut short by a crash is skipped by <see cref="Read"/> and the next append starts on a fresh line.
/// </summary>
public static class MetricLog
{
    static readonly object Gate = new();

    /// <summary>The file name of a metric's log: <c>metric-&lt;name&gt;.jsonl</c>.</summary>
    public static string FileName(string metric) => $"metric-{metric}.jsonl";

    /// <summary>The path of a metric's log in <paramref name="runFolder"/>.</summary>
    public static string PathFor(string runFolder, string metric) => Path.Combine(runFolder, FileName(metric));

    /// <summary>Appends <paramref name="result"/> measured at <paramref name="step"/> to its log in <paramref name="runFolder"/>.</summary>
    /// <returns>The file written.</returns>
    public static string Append(string runFolder, long step, MetricResult result, string? checkpoint = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runFolder);
        ArgumentNullException.ThrowIfNull(result);
        string path = PathFor(runFolder, result.Metric);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", step);
            w.WriteNumber("time", Math.Round((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds, 3));
            w.WriteString("metric", result.Metric);
            w.WriteNumber("samples", result.SampleCount);
            w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            if (checkpoint != null) w.WriteString("checkpoint", checkpoint);
            w.WriteStartObject("results");
            foreach (var (name, value) in result.Values)
            {
                if (double.IsFinite(value)) w.WriteNumber(name, value);
                else w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        lock (Gate)
        {
            try
            {
                Directory.CreateDirectory(runFolder);
                using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                if (stream.Length > 0)
                {
                    stream.Seek(-1, SeekOrigin.End);
                    bool endsWithNewline = stream.ReadByte() == '\n';
                    stream.Seek(0, SeekOrigin.End);
                    if (!endsWithNewline) stream.WriteByte((byte)'\n'); // a crash cut the last line short
                }
                stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GanSharpException($"cannot append to {path}: {e.Message}", null, e);
            }
        }
        return path;
    }

    /// <summary>Reads every complete line of a metric's log in order; a missing file gives an empty list.</summary>
    public static IReadOnlyList<MetricLogEntry> Read(string runFolder, string metric)
    {
        string path = PathFor(runFolder, metric);
        var entries = new List<MetricLogEntry>();
        if (!File.Exists(path)) return entries;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        string? line;
        while ((line = reader.ReadLine()) != null)
            if (line.Length > 0 && TryParse(line) is MetricLogEntry e) entries.Add(e);
        return entries;
    }

    static MetricLogEntry? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("step", out var s) || !s.TryGetInt64(out long step)
                || !root.TryGetProperty("metric", out var m) || m.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("results", out var r) || r.ValueKind != JsonValueKind.Object)
                return null;
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in r.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number) values[p.Name] = p.Value.GetDouble();
                else if (p.Value.ValueKind == JsonValueKind.String
                         && double.TryParse(p.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    values[p.Name] = v;
            }
            DateTime time = root.TryGetProperty("time", out var t) && t.TryGetDouble(out double secs) ? DateTime.UnixEpoch.AddSeconds(secs) : DateTime.UnixEpoch;
            int samples = root.TryGetProperty("samples", out var n) && n.TryGetInt32(out int count) ? count : 0;
            double seconds = root.TryGetProperty("seconds", out var sec) && sec.TryGetDouble(out double x) ? x : double.NaN;
            string? checkpoint = root.TryGetProperty("checkpoint", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return new MetricLogEntry(step, time, m.GetString()!, values, samples, seconds, checkpoint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
