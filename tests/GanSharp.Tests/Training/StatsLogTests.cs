using System.Text.Json;
using GanSharp.Tests.IO;
using GanSharp.Training;

namespace GanSharp.Tests.Training;

public class StatsLogTests
{
    [Fact]
    public void EachLineIsOneJsonObjectWithStepTimeAndScalars()
    {
        using var dir = new ScratchFolder("stats");
        string path = dir.Combine("stats.jsonl");
        using (var log = new StatsLog(path))
        {
            log.Append(100, new Dictionary<string, double> { ["loss/G"] = 1.5, ["loss/D"] = 0.25 });
            // Flushed per line: another reader sees it before the log is closed.
            Assert.Single(File.ReadAllLines(path));
            log.Append(200, new Dictionary<string, double> { ["loss/G"] = double.NaN, ["lr"] = double.PositiveInfinity });
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using (var doc = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(100, doc.RootElement.GetProperty("step").GetInt64());
            double time = doc.RootElement.GetProperty("time").GetDouble();
            Assert.InRange(time, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
            Assert.Equal(1.5, doc.RootElement.GetProperty("loss/G").GetDouble());
        }
        var records = StatsLog.Read(path);
        Assert.Equal(new long[] { 100, 200 }, records.Select(r => r.Step));
        Assert.Equal(0.25, records[0].Scalars["loss/D"]);
        Assert.True(double.IsNaN(records[1].Scalars["loss/G"]));
        Assert.Equal(double.PositiveInfinity, records[1].Scalars["lr"]);
        Assert.All(records, r => Assert.Null(r.Event));
    }

    [Fact]
    public void ReservedNamesAreRefused()
    {
        using var dir = new ScratchFolder("stats");
        using var log = new StatsLog(dir.Combine("stats.jsonl"));
        Assert.Throws<ArgumentException>(() => log.Append(1, new Dictionary<string, double> { ["step"] = 1 }));
    }

    [Fact]
    public void ResumeDropsTheLinesPastTheCheckpointAndAddsAMarker()
    {
        using var dir = new ScratchFolder("stats");
        string path = dir.Combine("stats.jsonl");
        using (var log = new StatsLog(path))
            foreach (long step in new long[] { 100, 200, 300 })
                log.Append(step, new Dictionary<string, double> { ["loss"] = step });
        // The run crashed after step 300 but its last checkpoint was at 200: the line for 300 goes (it is logged again).
        using (var log = new StatsLog(path))
        {
            log.MarkResume(200, "checkpoints/step-000000200");
            log.Append(300, new Dictionary<string, double> { ["loss"] = 3 });
        }
        var records = StatsLog.Read(path);
        Assert.Equal(new long[] { 100, 200, 200, 300 }, records.Select(r => r.Step));
        Assert.Equal(StatsLog.ResumeEvent, records[2].Event);
        Assert.Equal("checkpoints/step-000000200", records[2].Checkpoint);
        Assert.Equal(3, records[3].Scalars["loss"]);
        Assert.Single(records, r => r.Step == 300); // no duplicate step
        // A second resume at 100 keeps the earlier marker only if it is not past the step either.
        using (var log = new StatsLog(path)) log.MarkResume(100, "checkpoints/step-000000100");
        Assert.Equal(new long[] { 100, 100 }, StatsLog.Read(path).Select(r => r.Step));
    }

    [Fact]
    public void ALineCutShortByACrashIsSkippedAndTheNextLineStartsFresh()
    {
        using var dir = new ScratchFolder("stats");
        string path = dir.Combine("stats.jsonl");
        File.WriteAllText(path, "{\"step\":1,\"time\":0,\"a\":1}\n{\"step\":2,\"ti");
        using (var log = new StatsLog(path)) log.Append(3, new Dictionary<string, double> { ["a"] = 3 });
        var records = StatsLog.Read(path);
        Assert.Equal(new long[] { 1, 3 }, records.Select(r => r.Step));
    }
}
