using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GanSharp.Training;

/// <summary>One line of <c>stats.jsonl</c>.</summary>
/// <param name="Step">Training step.</param>
/// <param name="Time">When the line was written (UTC).</param>
/// <param name="Scalars">Named values; non-finite values are kept (written as <c>"NaN"</c>, <c>"Infinity"</c>).</param>
/// <param name="Event">Null for a stats line; <c>resume</c> for the marker written when training resumes.</param>
/// <param name="Checkpoint">For a resume marker, the checkpoint resumed from.</param>
public sealed record StatsRecord(long Step, DateTime Time, IReadOnlyDictionary<string, double> Scalars, string? Event = null, string? Checkpoint = null);

/// <summary>
/// Appends one JSON object per line to <c>stats.jsonl</c>: <c>{"step":…,"time":…,"name":value,…}</c> where
/// <c>time</c> is Unix seconds. Each line is flushed as written, so a killed process loses at most the line in
/// flight. On resume, existing lines (even those beyond the resumed step) are kept and a marker line
/// <c>{"event":"resume",…}</c> records where training went on from; readers of the history use the last
/// line for each step after a marker.
/// </summary>
public sealed class StatsLog : IDisposable
{
    /// <summary>Value of <c>event</c> in the marker written by <see cref="MarkResume"/>.</summary>
    public const string ResumeEvent = "resume";

    static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "step", "time", "event", "checkpoint" };
    readonly object gate = new();
    readonly FileStream stream;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending.</summary>
    public StatsLog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        // A crash mid-line leaves no newline at the end: start on a fresh line so the next record parses.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            bool endsWithNewline = stream.ReadByte() == '\n';
            stream.Seek(0, SeekOrigin.End);
            if (!endsWithNewline) { stream.WriteByte((byte)'\n'); stream.Flush(); }
        }
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Appends one line with <paramref name="step"/>, the current time and <paramref name="scalars"/>.</summary>
    public void Append(long step, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        foreach (var name in scalars.Keys)
            if (string.IsNullOrEmpty(name) || Reserved.Contains(name))
                throw new ArgumentException($"'{name}' cannot be a scalar name in stats.jsonl (reserved: {string.Join(", ", Reserved)})", nameof(scalars));
        WriteLine(w =>
        {
            w.WriteNumber("step", step);
            w.WriteNumber("time", UnixSeconds(DateTime.UtcNow));
            foreach (var (name, value) in scalars)
            {
                if (double.IsFinite(value)) w.WriteNumber(name, value);
                else w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    /// <summary>
    /// Drops the lines logged after <paramref name="step"/> (the steps the resumed run will log again: the file is cut at the
    /// first line past the step, one truncation, so no line is ever half-written) and appends the marker that says training
    /// resumed at <paramref name="step"/> from <paramref name="checkpoint"/>.
    /// </summary>
    public void MarkResume(long step, string? checkpoint)
    {
        lock (gate) TruncateAfter(step);
        WriteMarker(step, checkpoint);
    }

    void TruncateAfter(long step)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        long offset = 0;
        while (offset < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', (int)offset);
            int length = (end < 0 ? bytes.Length : end) - (int)offset;
            try
            {
                using var doc = JsonDocument.Parse(bytes.AsMemory((int)offset, length));
                if (doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out long logged) && logged > step
                    && !(doc.RootElement.TryGetProperty("event", out var e) && e.GetString() == ResumeEvent))
                {
                    stream.SetLength(offset);
                    break;
                }
            }
            catch (JsonException) { }
            if (end < 0) break;
            offset = end + 1;
        }
        stream.Seek(0, SeekOrigin.End);
        stream.Flush();
    }

    void WriteMarker(long step, string? checkpoint) => WriteLine(w =>
    {
        w.WriteString("event", ResumeEvent);
        w.WriteNumber("step", step);
        w.WriteNumber("time", UnixSeconds(DateTime.UtcNow));
        if (checkpoint != null) w.WriteString("checkpoint", checkpoint);
    });

    void WriteLine(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        lock (gate)
        {
            stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            stream.Flush();
        }
    }

    /// <summary>
    /// Reads every line of a stats file in order. Lines that do not parse (a line cut short by a crash) are skipped.
    /// </summary>
    public static IReadOnlyList<StatsRecord> Read(string path)
    {
        var records = new List<StatsRecord>();
        if (!File.Exists(path)) return records;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            if (line.Length == 0) continue;
            var record = TryParse(line);
            if (record != null) records.Add(record);
        }
        return records;
    }

    static StatsRecord? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("step", out var s) || !s.TryGetInt64(out long step)) return null;
            DateTime time = root.TryGetProperty("time", out var t) && t.TryGetDouble(out double secs)
                ? DateTime.UnixEpoch.AddSeconds(secs) : DateTime.UnixEpoch;
            string? ev = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            string? ckpt = root.TryGetProperty("checkpoint", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
            {
                if (Reserved.Contains(p.Name)) continue;
                if (p.Value.ValueKind == JsonValueKind.Number) scalars[p.Name] = p.Value.GetDouble();
                else if (p.Value.ValueKind == JsonValueKind.String
                         && double.TryParse(p.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    scalars[p.Name] = v;
            }
            return new StatsRecord(step, time, scalars, ev, ckpt);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static double UnixSeconds(DateTime utc) => Math.Round((utc - DateTime.UnixEpoch).TotalSeconds, 3);

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (gate) stream.Dispose();
    }
}
