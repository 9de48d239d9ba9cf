using System.Text;
using System.Text.Json;
using GanSharp.Checkpoints;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using GanSharp.Training;
using TorchSharp;

namespace GanSharp.Tests.Training;

public class RunFolderTests
{
    sealed record Config(string Method, int BatchSize, double LearningRate);

    static JsonElement ConfigJson => JsonSerializer.SerializeToElement(new Config("dcgan", 64, 2e-4));

    static string SaveCheckpoint(RunFolder run, long step, int keepLast = 0)
    {
        string path = run.CheckpointPath(step);
        using (var w = new CheckpointWriter(path, "dcgan", step, ConfigJson, JsonSerializer.SerializeToElement(new { z = 100 })))
        {
            w.AddBytes("state", BitConverter.GetBytes(step));
            w.Commit();
        }
        run.PublishCheckpoint(path, keepLast);
        return path;
    }

    [Fact]
    public void RunIdsIncreaseFromTheHighestExistingOne()
    {
        using var root = new ScratchFolder("runs");
        using (var a = RunFolder.Create(root.Path, "dcgan", "fashion mnist", ConfigJson, tensorBoard: false))
        {
            Assert.Equal(0, a.Id);
            Assert.Equal("00000-dcgan-fashion_mnist", a.Name);
        }
        Directory.CreateDirectory(root.Combine("00007-wgan-old"));
        Directory.CreateDirectory(root.Combine("notes"));
        using var b = RunFolder.Create(root.Path, "wgan-gp", null, ConfigJson, tensorBoard: false);
        Assert.Equal(8, b.Id);
        Assert.Equal("00008-wgan-gp", b.Name);
        using var c = RunFolder.Create(root.Path, "dcgan", "../../evil", ConfigJson, tensorBoard: false);
        Assert.Equal("00009-dcgan-evil", c.Name);
        Assert.Equal(root.Path, Path.GetDirectoryName(c.Path));
        Assert.Equal(new[] { 0, 7, 8, 9 }, RunFolder.ListRuns(root.Path).Select(r => r.Id));
    }

    [Fact]
    public void CreateWritesConfigAndTheFolders()
    {
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", "x", ConfigJson, tensorBoard: false);
        var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(run.ConfigPath));
        Assert.Equal(new Config("dcgan", 64, 2e-4), config);
        Assert.True(Directory.Exists(run.SamplesDirectory));
        Assert.True(Directory.Exists(run.CheckpointsDirectory));
        Assert.Equal(Path.Combine(run.SamplesDirectory, "fakes-000001000.png"), run.SamplePath("fakes-000001000.png"));
        Assert.Throws<ArgumentException>(() => run.SamplePath("../x.png"));
        Assert.Equal(Path.Combine(run.CheckpointsDirectory, "step-000001000"), run.CheckpointPath(1000));
        Assert.DoesNotContain(Directory.GetFiles(run.Path), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public void LogScalarsWritesStatsAndTensorBoardEvents()
    {
        TorchRuntime.EnsureInitialized();
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", "tb", ConfigJson);
        run.LogScalars(10, new Dictionary<string, double> { ["loss/G"] = 0.75, ["loss/D"] = double.NaN });
        run.LogScalars(20, new Dictionary<string, double> { ["loss/G"] = 0.5 });

        var stats = StatsLog.Read(run.StatsPath);
        Assert.Equal(new long[] { 10, 20 }, stats.Select(r => r.Step));

        var events = Directory.GetFiles(run.Path, "events.out.tfevents.*");
        var file = Assert.Single(events);
        var records = TfRecords(File.ReadAllBytes(file));
        // The file-version record, then one per finite scalar (the NaN is skipped).
        Assert.Equal(3, records.Count);
        Assert.Contains("brain.Event:2", Encoding.UTF8.GetString(records[0]));
        var (step, wall, tag, value) = DecodeScalarEvent(records[2]);
        Assert.Equal(20, step);
        Assert.Equal("loss/G", tag);
        Assert.Equal(0.5f, value);
        Assert.InRange(wall, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 120);
    }

    [Fact]
    public void LatestPointerAndPruningKeepTheNewestK()
    {
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false);
        Assert.Null(run.LatestCheckpoint());
        foreach (long step in new long[] { 100, 200, 300, 400, 500 }) SaveCheckpoint(run, step, keepLast: 2);
        Assert.Equal(new long[] { 400, 500 }, run.ListCheckpoints().Select(c => c.Step));
        Assert.Equal("step-000000500", File.ReadAllText(Path.Combine(run.CheckpointsDirectory, RunFolder.LatestFileName)).Trim());
        Assert.Equal(run.CheckpointPath(500), run.LatestCheckpoint());
        Assert.Equal(new[] { "latest", "step-000000400", "step-000000500" },
            Directory.GetFileSystemEntries(run.CheckpointsDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PruningNeverDeletesTheCheckpointLatestNames()
    {
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false);
        SaveCheckpoint(run, 300);
        SaveCheckpoint(run, 400);
        SaveCheckpoint(run, 100); // resumed from an early checkpoint and saved again: latest is now 100
        var removed = run.PruneCheckpoints(1);
        Assert.Equal(new long[] { 100, 400 }, run.ListCheckpoints().Select(c => c.Step));
        Assert.Single(removed);
    }

    [Fact]
    public void LatestFallsBackToTheNewestCompleteCheckpointAndIgnoresTemps()
    {
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false);
        SaveCheckpoint(run, 100);
        SaveCheckpoint(run, 200);
        // A later write was killed (temp folder) and the pointer names a checkpoint that is gone.
        Directory.CreateDirectory(Path.Combine(run.CheckpointsDirectory, ".step-000000300.tmp-abc"));
        Directory.Delete(run.CheckpointPath(200), recursive: true);
        Assert.Equal(run.CheckpointPath(100), run.LatestCheckpoint());
        // A checkpoint readable only through its .old copy still counts.
        Directory.Move(run.CheckpointPath(100), run.CheckpointPath(100) + ".old");
        Assert.Equal(run.CheckpointPath(100), run.LatestCheckpoint());
        // Publishing the next checkpoint cleans the temp folder.
        SaveCheckpoint(run, 400);
        Assert.Empty(Directory.GetDirectories(run.CheckpointsDirectory, ".step-*"));
    }

    [Fact]
    public void ResolveLatestUsesTheNewestRunWithACheckpoint()
    {
        using var root = new ScratchFolder("runs");
        string older, newer;
        using (var a = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false)) { SaveCheckpoint(a, 100); older = a.Path; }
        using (var b = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false)) { SaveCheckpoint(b, 100); SaveCheckpoint(b, 200); newer = b.Path; }
        var p = RunFolder.Resolve(root.Path, "latest");
        Assert.Equal(Path.Combine(newer, "checkpoints", "step-000000200"), p.CheckpointPath);
        Assert.Equal(newer, p.RunFolderPath);
        Assert.Equal(200, p.Step);

        // A newest run that crashed before its first checkpoint is skipped.
        using (RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false)) { }
        Assert.Equal(newer, RunFolder.Resolve(root.Path, "latest").RunFolderPath);
        Assert.NotEqual(older, newer);
    }

    [Fact]
    public void ResolveARunFolderACheckpointsFolderACheckpointOrAnId()
    {
        using var root = new ScratchFolder("runs");
        using var run = RunFolder.Create(root.Path, "dcgan", "x", ConfigJson, tensorBoard: false);
        SaveCheckpoint(run, 100);
        string latest = SaveCheckpoint(run, 200);
        string first = run.CheckpointPath(100);

        Assert.Equal(new ResumePoint(latest, run.Path, 200), RunFolder.Resolve(root.Path, run.Path));
        Assert.Equal(new ResumePoint(latest, run.Path, 200), RunFolder.Resolve(root.Path, run.Path + "/"));
        Assert.Equal(new ResumePoint(latest, run.Path, 200), RunFolder.Resolve(root.Path, run.CheckpointsDirectory));
        Assert.Equal(new ResumePoint(first, run.Path, 100), RunFolder.Resolve(root.Path, first));
        Assert.Equal(new ResumePoint(latest, run.Path, 200), RunFolder.Resolve(root.Path, "0"));
        Assert.Equal(new ResumePoint(latest, run.Path, 200), RunFolder.Resolve(root.Path, run.Name));

        // A checkpoint outside any run folder.
        string loose = root.Combine("loose-ckpt");
        Directory.Move(first, loose);
        Assert.Equal(new ResumePoint(loose, null, 100), RunFolder.Resolve(root.Path, loose));

        // A checkpoint in a folder named checkpoints that is not a run's (no config.json beside it), like assets/checkpoints/x.
        string bundled = root.Combine("assets", "checkpoints", "x");
        Directory.CreateDirectory(Path.GetDirectoryName(bundled)!);
        Directory.Move(loose, bundled);
        Assert.Equal(new ResumePoint(bundled, null, 100), RunFolder.Resolve(root.Path, bundled));
    }

    [Fact]
    public void ResolveFailsClearlyWhenThereIsNothingToResume()
    {
        using var root = new ScratchFolder("runs");
        var none = Assert.Throws<GanSharpException>(() => RunFolder.Resolve(root.Combine("absent"), "latest"));
        Assert.Contains("no run folders", none.Message);

        using var run = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false);
        var empty = Assert.Throws<GanSharpException>(() => RunFolder.Resolve(root.Path, "latest"));
        Assert.Contains("has a complete checkpoint", empty.Message);
        var noCkpt = Assert.Throws<GanSharpException>(() => RunFolder.Resolve(root.Path, run.Path));
        Assert.Contains("has no complete checkpoint", noCkpt.Message);
        var missing = Assert.Throws<GanSharpException>(() => RunFolder.Resolve(root.Path, root.Combine("nope")));
        Assert.Contains("no such checkpoint, run folder or run id", missing.Message);
        Directory.CreateDirectory(root.Combine("random"));
        var other = Assert.Throws<GanSharpException>(() => RunFolder.Resolve(root.Path, root.Combine("random")));
        Assert.Contains("neither a checkpoint nor a run folder", other.Message);
    }

    [Fact]
    public void OpenReusesAnExistingRunAndMarksTheResume()
    {
        using var root = new ScratchFolder("runs");
        string path;
        using (var run = RunFolder.Create(root.Path, "dcgan", null, ConfigJson, tensorBoard: false))
        {
            run.LogScalars(100, new Dictionary<string, double> { ["a"] = 1 });
            run.LogScalars(200, new Dictionary<string, double> { ["a"] = 2 });
            SaveCheckpoint(run, 100);
            path = run.Path;
        }
        var point = RunFolder.Resolve(root.Path, "latest");
        using (var run = RunFolder.Open(point.RunFolderPath!, tensorBoard: false))
        {
            Assert.Equal(0, run.Id);
            run.Stats.MarkResume(point.Step, Path.GetRelativePath(run.Path, point.CheckpointPath));
            run.LogScalars(200, new Dictionary<string, double> { ["a"] = 2.5 });
        }
        var records = StatsLog.Read(Path.Combine(path, RunFolder.StatsFileName));
        Assert.Equal(new long[] { 100, 100, 200 }, records.Select(r => r.Step)); // the old step-200 line is dropped on resume
        Assert.Equal("resume", records[1].Event);
        Assert.Equal(Path.Combine("checkpoints", "step-000000100"), records[1].Checkpoint);
        Assert.Equal(2.5, records[2].Scalars["a"]);
        Assert.Throws<GanSharpException>(() => RunFolder.Open(root.Combine("absent")));
    }

    /// <summary>Splits a TFRecord stream: [u64 length][u32 crc][data][u32 crc] per record.</summary>
    static List<byte[]> TfRecords(byte[] bytes)
    {
        var records = new List<byte[]>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            long length = BitConverter.ToInt64(bytes, pos);
            Assert.InRange(length, 1, bytes.Length - pos - 16);
            records.Add(bytes.AsSpan(pos + 12, (int)length).ToArray());
            pos += 12 + (int)length + 4;
        }
        Assert.Equal(bytes.Length, pos);
        return records;
    }

    /// <summary>
    /// Decodes the fields of a scalar <c>Event</c> (wall_time = 1 double, step = 2 varint, summary = 5 {value = 1
    /// {tag = 1 string, simple_value = 2 float}}) — a reader for the test, not a writer.
    /// </summary>
    static (long Step, double Wall, string Tag, float Value) DecodeScalarEvent(byte[] e)
    {
        long step = 0; double wall = 0; string tag = ""; float value = float.NaN;
        foreach (var (field, wire, data, varint) in Fields(e))
        {
            if (field == 1 && wire == 1) wall = BitConverter.ToDouble(data);
            else if (field == 2 && wire == 0) step = (long)varint;
            else if (field == 5 && wire == 2)
                foreach (var (f2, w2, d2, _) in Fields(data))
                    if (f2 == 1 && w2 == 2)
                        foreach (var (f3, w3, d3, _) in Fields(d2))
                        {
                            if (f3 == 1 && w3 == 2) tag = Encoding.UTF8.GetString(d3);
                            if (f3 == 2 && w3 == 5) value = BitConverter.ToSingle(d3);
                        }
        }
        return (step, wall, tag, value);
    }

    static IEnumerable<(int Field, int Wire, byte[] Data, ulong Varint)> Fields(byte[] buf)
    {
        int pos = 0;
        ulong Varint()
        {
            ulong v = 0; int shift = 0;
            while (true) { byte b = buf[pos++]; v |= (ulong)(b & 0x7f) << shift; if (b < 0x80) return v; shift += 7; }
        }
        var list = new List<(int, int, byte[], ulong)>();
        while (pos < buf.Length)
        {
            ulong key = Varint();
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: list.Add((field, wire, Array.Empty<byte>(), Varint())); break;
                case 1: list.Add((field, wire, buf[pos..(pos + 8)], 0)); pos += 8; break;
                case 5: list.Add((field, wire, buf[pos..(pos + 4)], 0)); pos += 4; break;
                case 2: { int n = (int)Varint(); list.Add((field, wire, buf[pos..(pos + n)], 0)); pos += n; break; }
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
        return list;
    }
}
