using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GanSharp.Checkpoints;
using GanSharp.Diagnostics;
using GanSharp.IO;
using TorchSharp;
using TorchSharp.Modules;

namespace GanSharp.Training;

/// <summary>
/// One training run on disk, after stylegan2-ada's layout:
/// <code>
/// runs/00003-dcgan-fashion/
///   config.json            resolved options (written atomically)
///   stats.jsonl            one JSON object per logged step
///   loss-curves.png        the stats as curves (written at the end of a run)
///   events.out.tfevents.*  TensorBoard scalars (TorchSharp's SummaryWriter)
///   samples/               image grids (written by the imaging layer)
///   checkpoints/step-000001000/ …, checkpoints/latest (a text file naming the newest)
/// </code>
/// </summary>
public sealed partial class RunFolder : IDisposable
{
    /// <summary>Name of the resolved-options file.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Name of the stats file.</summary>
    public const string StatsFileName = "stats.jsonl";

    /// <summary>Name of the loss-curve plot written at the end of a run.</summary>
    public const string LossCurvesFileName = "loss-curves.png";

    /// <summary>Name of the file in <c>checkpoints/</c> that names the newest checkpoint.</summary>
    public const string LatestFileName = "latest";

    [GeneratedRegex(@"^(\d+)-[A-Za-z0-9]")]
    private static partial Regex RunNamePattern();

    [GeneratedRegex(@"^step-(\d+)(\.old)?$")]
    private static partial Regex CheckpointNamePattern();

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeChars();

    readonly bool tensorBoardEnabled;
    StatsLog? stats;
    SummaryWriter? tensorBoard;
    bool disposed;

    RunFolder(string path, int id, bool tensorBoard)
    {
        Path = path;
        Id = id;
        tensorBoardEnabled = tensorBoard;
    }

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>The run's number (the <c>00003</c> of <c>00003-dcgan-fashion</c>).</summary>
    public int Id { get; }

    /// <summary>The folder name, e.g. <c>00003-dcgan-fashion</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The resolved options file.</summary>
    public string ConfigPath => System.IO.Path.Combine(Path, ConfigFileName);

    /// <summary>The stats file.</summary>
    public string StatsPath => System.IO.Path.Combine(Path, StatsFileName);

    /// <summary>Path of the loss-curve plot.</summary>
    public string LossCurvesPath => System.IO.Path.Combine(Path, LossCurvesFileName);

    /// <summary>Draws <see cref="StatsPath"/> into <see cref="LossCurvesPath"/>; false when there is nothing to draw yet.</summary>
    public bool WriteLossCurves(string? title = null) =>
        File.Exists(StatsPath) && Reports.LossCurves.WritePng(StatsPath, LossCurvesPath, title ?? Name);

    /// <summary>Folder of sample image grids.</summary>
    public string SamplesDirectory => System.IO.Path.Combine(Path, "samples");

    /// <summary>Folder of checkpoints.</summary>
    public string CheckpointsDirectory => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>
    /// Creates <c>&lt;runsRoot&gt;/&lt;id&gt;-&lt;method&gt;[-&lt;description&gt;]</c> with the next free id and writes
    /// <paramref name="config"/> as <c>config.json</c>.
    /// </summary>
    /// <param name="runsRoot">The folder holding all runs (created if absent).</param>
    /// <param name="method">Method name, e.g. <c>dcgan</c>.</param>
    /// <param name="description">Short free text, e.g. the data set; characters unsafe in file names become <c>_</c>.</param>
    /// <param name="config">The resolved options.</param>
    /// <param name="tensorBoard">Whether <see cref="LogScalars"/> also writes TensorBoard event files.</param>
    public static RunFolder Create(string runsRoot, string method, string? description, JsonElement config, bool tensorBoard = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(runsRoot);
        string safeMethod = Sanitize(method);
        if (safeMethod.Length == 0) throw new ArgumentException("method name is empty", nameof(method));
        string safeDesc = Sanitize(description ?? "");
        string root = System.IO.Path.GetFullPath(runsRoot);
        Directory.CreateDirectory(root);
        int id = ListRuns(root).Select(r => r.Id).DefaultIfEmpty(-1).Max() + 1;
        string path;
        while (true)
        {
            string name = id.ToString("D5", CultureInfo.InvariantCulture) + "-" + safeMethod + (safeDesc.Length > 0 ? "-" + safeDesc : "");
            path = System.IO.Path.Combine(root, name);
            // Another process may have taken this id since the scan: any folder with the same id counts.
            string prefix = id.ToString("D5", CultureInfo.InvariantCulture) + "-";
            if (!Directory.EnumerateDirectories(root, prefix + "*").Any()) break;
            id++;
        }
        Directory.CreateDirectory(path);
        var run = new RunFolder(path, id, tensorBoard);
        Directory.CreateDirectory(run.SamplesDirectory);
        Directory.CreateDirectory(run.CheckpointsDirectory);
        run.WriteConfig(config);
        return run;
    }

    /// <summary>
    /// Writes <see cref="ConfigPath"/> (atomically). A resume rewrites it with the settings it trains with, so the next
    /// resume starts from them: an accepted override (recorded in <c>overrides.txt</c>) is not lost to a later plain resume.
    /// </summary>
    public void WriteConfig(JsonElement config) =>
        AtomicFile.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>Opens an existing run folder (to resume in it); its <c>config.json</c> is left as it is (a resume then rewrites it with <see cref="WriteConfig"/>).</summary>
    public static RunFolder Open(string path, bool tensorBoard = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (!Directory.Exists(full)) throw new GanSharpException($"run folder {path} does not exist");
        var m = RunNamePattern().Match(System.IO.Path.GetFileName(full));
        int id = m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
        var run = new RunFolder(full, id, tensorBoard);
        Directory.CreateDirectory(run.SamplesDirectory);
        Directory.CreateDirectory(run.CheckpointsDirectory);
        return run;
    }

    /// <summary>The run folders under <paramref name="runsRoot"/> (names starting with a number and a dash), by id.</summary>
    public static IReadOnlyList<(int Id, string Path)> ListRuns(string runsRoot)
    {
        if (!Directory.Exists(runsRoot)) return Array.Empty<(int, string)>();
        var runs = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories(runsRoot))
        {
            var m = RunNamePattern().Match(System.IO.Path.GetFileName(dir));
            if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                runs.Add((id, System.IO.Path.GetFullPath(dir)));
        }
        return runs.OrderBy(r => r.Item1).ThenBy(r => r.Item2, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The stats log, opened for appending on first use.</summary>
    public StatsLog Stats
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return stats ??= new StatsLog(StatsPath);
        }
    }

    /// <summary>TorchSharp's TensorBoard writer for this run (event files in the run folder), created on first use.</summary>
    public SummaryWriter TensorBoard
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return tensorBoard ??= torch.utils.tensorboard.SummaryWriter(Path);
        }
    }

    /// <summary>
    /// Logs <paramref name="scalars"/> at <paramref name="step"/>: one line in <c>stats.jsonl</c> and, when enabled,
    /// one TensorBoard scalar per name (non-finite values are skipped there).
    /// </summary>
    public void LogScalars(long step, IReadOnlyDictionary<string, double> scalars)
    {
        Stats.Append(step, scalars);
        if (!tensorBoardEnabled) return;
        if (step > int.MaxValue) return; // TorchSharp's writer takes an int step.
        // TensorBoard expects Unix seconds; TorchSharp's default is DateTime.Now.Ticks.
        long wall = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        foreach (var (name, value) in scalars)
            if (double.IsFinite(value)) TensorBoard.add_scalar(name, (float)value, (int)step, wall);
    }

    /// <summary>The path of a file in <c>samples/</c>, e.g. <c>SamplePath("fakes-000001000.png")</c>.</summary>
    public string SamplePath(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileName != System.IO.Path.GetFileName(fileName)) throw new ArgumentException($"'{fileName}' must be a file name, not a path", nameof(fileName));
        return System.IO.Path.Combine(SamplesDirectory, fileName);
    }

    /// <summary>The checkpoint folder for <paramref name="step"/>: <c>checkpoints/step-000001000</c>.</summary>
    public string CheckpointPath(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return System.IO.Path.Combine(CheckpointsDirectory, CheckpointName(step));
    }

    /// <summary>The folder name of the checkpoint at <paramref name="step"/>.</summary>
    public static string CheckpointName(long step) => "step-" + step.ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>
    /// After a checkpoint was committed: points <c>latest</c> at it, then keeps only the newest
    /// <paramref name="keepLast"/> checkpoints (0 keeps all) and removes leftovers of interrupted writes.
    /// </summary>
    /// <returns>The checkpoint folders deleted.</returns>
    public IReadOnlyList<string> PublishCheckpoint(string checkpointPath, int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(checkpointPath));
        if (!string.Equals(System.IO.Path.GetDirectoryName(full), System.IO.Path.GetFullPath(CheckpointsDirectory), StringComparison.Ordinal))
            throw new ArgumentException($"{checkpointPath} is not in {CheckpointsDirectory}", nameof(checkpointPath));
        if (!CheckpointLayout.Exists(full))
            throw new GanSharpException($"checkpoint {checkpointPath} is not complete; commit it before publishing");
        AtomicFile.WriteAllText(System.IO.Path.Combine(CheckpointsDirectory, LatestFileName), System.IO.Path.GetFileName(full) + "\n");
        var removed = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(CheckpointsDirectory, ".step-*"))
            if (AtomicFile.IsTempName(System.IO.Path.GetFileName(dir)) && CheckpointLayout.TryDeleteDirectory(dir)) removed.Add(dir);
        if (keepLast > 0) removed.AddRange(PruneCheckpoints(keepLast));
        return removed;
    }

    /// <summary>
    /// Deletes all but the newest <paramref name="keepLast"/> checkpoints (by step). The one <c>latest</c> names is
    /// always kept.
    /// </summary>
    /// <returns>The checkpoint folders deleted.</returns>
    public IReadOnlyList<string> PruneCheckpoints(int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        var all = ListCheckpoints();
        string? latest = ReadLatestPointer();
        var removed = new List<string>();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keepLast)))
        {
            if (latest != null && string.Equals(path, latest, StringComparison.Ordinal)) continue;
            foreach (var dir in new[] { path, CheckpointLayout.OldPathOf(path) })
                if (Directory.Exists(dir) && CheckpointLayout.TryDeleteDirectory(dir)) removed.Add(dir);
        }
        return removed;
    }

    /// <summary>The complete checkpoints of this run, oldest first (a checkpoint readable only through its <c>.old</c> copy counts).</summary>
    public IReadOnlyList<(long Step, string Path)> ListCheckpoints() => ListCheckpoints(CheckpointsDirectory);

    static IReadOnlyList<(long Step, string Path)> ListCheckpoints(string checkpointsDirectory)
    {
        if (!Directory.Exists(checkpointsDirectory)) return Array.Empty<(long, string)>();
        var found = new SortedDictionary<long, string>();
        foreach (var dir in Directory.EnumerateDirectories(checkpointsDirectory, "step-*"))
        {
            var m = CheckpointNamePattern().Match(System.IO.Path.GetFileName(dir));
            if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long step)) continue;
            string canonical = System.IO.Path.Combine(System.IO.Path.GetFullPath(checkpointsDirectory), "step-" + m.Groups[1].Value);
            if (CheckpointLayout.Exists(canonical)) found[step] = canonical;
        }
        return found.Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    /// <summary>
    /// The newest checkpoint: the one <c>latest</c> names when it is complete, else the complete one with the
    /// highest step; null when the run has none.
    /// </summary>
    public string? LatestCheckpoint() => LatestCheckpoint(CheckpointsDirectory);

    static string? LatestCheckpoint(string checkpointsDirectory)
    {
        string? pointed = ReadLatestPointer(checkpointsDirectory);
        if (pointed != null && CheckpointLayout.Exists(pointed)) return pointed;
        var all = ListCheckpoints(checkpointsDirectory);
        if (pointed != null && all.Count > 0)
            Log.Warn($"{checkpointsDirectory}/{LatestFileName} names {System.IO.Path.GetFileName(pointed)}, which is not complete; using {System.IO.Path.GetFileName(all[^1].Path)}");
        return all.Count > 0 ? all[^1].Path : null;
    }

    string? ReadLatestPointer() => ReadLatestPointer(CheckpointsDirectory);

    static string? ReadLatestPointer(string checkpointsDirectory)
    {
        string file = System.IO.Path.Combine(checkpointsDirectory, LatestFileName);
        if (!File.Exists(file)) return null;
        string name = File.ReadAllText(file, Encoding.UTF8).Trim();
        // The pointer is a bare folder name; anything else is ignored rather than followed.
        if (name.Length == 0 || name != System.IO.Path.GetFileName(name) || name is "." or "..") return null;
        return System.IO.Path.Combine(System.IO.Path.GetFullPath(checkpointsDirectory), name);
    }

    /// <summary>
    /// The folder of run folders when a command is given none: <c>$GANSHARP_RUNS</c>, or <c>runs</c> (relative to the
    /// current folder). Every verb's <c>--runs</c> defaults to it, and <c>-c latest</c> of the verbs without
    /// <c>--runs</c> looks there, so one variable moves them all.
    /// </summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("GANSHARP_RUNS") is { Length: > 0 } env ? env : "runs";

    /// <summary>
    /// Resolves a <c>--resume</c> argument: <c>latest</c> (the newest run under <paramref name="runsRoot"/> that has
    /// a checkpoint, and its latest checkpoint), a run folder (its latest checkpoint), its <c>checkpoints</c> folder,
    /// a checkpoint folder, or a run id or folder name under <paramref name="runsRoot"/>.
    /// </summary>
    public static ResumePoint Resolve(string runsRoot, string resume)
    {
        ArgumentNullException.ThrowIfNull(runsRoot);
        ArgumentException.ThrowIfNullOrEmpty(resume);
        if (string.Equals(resume.Trim(), "latest", StringComparison.OrdinalIgnoreCase))
        {
            var runs = ListRuns(runsRoot);
            foreach (var (_, run) in runs.Reverse())
            {
                string? ckpt = LatestCheckpoint(System.IO.Path.Combine(run, "checkpoints"));
                if (ckpt != null) return Point(ckpt, run);
            }
            throw new GanSharpException(
                runs.Count == 0 ? $"latest: no run folders under {System.IO.Path.GetFullPath(runsRoot)}"
                                : $"latest: none of the {runs.Count} run folders under {System.IO.Path.GetFullPath(runsRoot)} has a complete checkpoint",
                "train first, or pass a checkpoint or run folder path");
        }

        string? path = ExistingPath(resume) ?? RunUnderRoot(runsRoot, resume);
        if (path == null)
            throw new GanSharpException($"{resume}: no such checkpoint, run folder or run id",
                $"use 'latest', a run folder, a checkpoint folder, or a run id under {runsRoot}");
        if (CheckpointLayout.Exists(path))
        {
            // A checkpoint belongs to a run only inside <run>/checkpoints/ next to the run's config.json; a checkpoint
            // folder kept elsewhere under a folder named checkpoints (e.g. assets/checkpoints/x) is a loose one.
            string? parent = System.IO.Path.GetDirectoryName(path);
            string? run = parent != null && System.IO.Path.GetFileName(parent) == "checkpoints" ? System.IO.Path.GetDirectoryName(parent) : null;
            if (run != null && !File.Exists(System.IO.Path.Combine(run, ConfigFileName))) run = null;
            return Point(path, run);
        }
        string checkpoints = System.IO.Path.GetFileName(path) == "checkpoints" ? path : System.IO.Path.Combine(path, "checkpoints");
        string runPath = checkpoints == path ? System.IO.Path.GetDirectoryName(path)! : path;
        if (Directory.Exists(checkpoints) || File.Exists(System.IO.Path.Combine(runPath, ConfigFileName)))
        {
            string? ckpt = LatestCheckpoint(checkpoints);
            if (ckpt == null)
                throw new GanSharpException($"{resume}: run folder {runPath} has no complete checkpoint");
            return Point(ckpt, runPath);
        }
        throw new GanSharpException($"{resume}: {path} is neither a checkpoint nor a run folder",
            $"a checkpoint folder holds {CheckpointManifest.FileName}; a run folder holds checkpoints/");
    }

    static ResumePoint Point(string checkpoint, string? run)
    {
        string? folder = CheckpointLayout.Locate(checkpoint);
        long step = folder != null ? CheckpointReader.ReadManifest(folder).Step : 0;
        return new ResumePoint(checkpoint, run, step);
    }

    static string? ExistingPath(string resume)
    {
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(resume));
        return Directory.Exists(full) || CheckpointLayout.Exists(full) ? full : null;
    }

    static string? RunUnderRoot(string runsRoot, string resume)
    {
        if (!Directory.Exists(runsRoot)) return null;
        string direct = System.IO.Path.Combine(runsRoot, resume);
        if (Directory.Exists(direct)) return System.IO.Path.GetFullPath(direct);
        if (int.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            var matches = ListRuns(runsRoot).Where(r => r.Id == id).ToArray();
            if (matches.Length == 1) return matches[0].Path;
            if (matches.Length > 1)
                throw new GanSharpException($"{resume}: {matches.Length} run folders have id {id}",
                    "pass the run folder path instead");
        }
        return null;
    }

    static string Sanitize(string text) => UnsafeChars().Replace(text.Trim(), "_").Trim('_', '.', '-');

    /// <summary>Closes the stats file.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stats?.Dispose();
    }
}
