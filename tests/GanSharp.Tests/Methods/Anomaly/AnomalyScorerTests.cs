using GanSharp.Nn;
using GanSharp.Methods.Anomaly;
using GanSharp.Methods.Anomaly.AnoGan;
using GanSharp.Methods.Anomaly.Egbad;
using GanSharp.Methods.Anomaly.FAnoGan;
using GanSharp.Methods.Anomaly.Ganomaly;
using GanSharp.Models;
using GanSharp.Methods.Synthesis.Dcgan;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Anomaly;

/// <summary>Scorer properties on untrained tiny networks (weights from a private seed): batch independence, the search, checkpoints.</summary>
public class AnomalyScorerTests
{
    static readonly DcganConfig Config = DcganConfig.For(28, 1) with { GeneratorWidth = 4, DiscriminatorWidth = 4, LatentSize = 8 };

    static Tensor Images(int n) => rand(new long[] { n, 1, 28, 28 }, generator: new Generator(17)) * 2 - 1; // [N, 1, 28, 28]

    static IEnumerable<IAnomalyScorer> Scorers()
    {
        TorchRuntime.EnsureInitialized();
        var g = new DcganGenerator(Config);
        var d = new DcganDiscriminator(Config);
        var e = new DcganEncoder(Config);
        var gan = new GanomalyGenerator(Config);
        var bd = new BiganDiscriminator(Config, 16);
        DcganInit.Apply(11, g, d, e, gan, bd);
        // Give BatchNorm non-trivial running statistics, as training would.
        using (no_grad())
            foreach (var m in new TorchSharp.torch.nn.Module[] { g, d, e, gan })
                foreach (var (name, buffer) in m.named_buffers())
                    if (name.EndsWith("running_mean")) buffer.copy_(rand(buffer.shape, generator: new Generator(3)) * 0.1);
        yield return new GanomalyScorer(gan);
        yield return new FAnoGanScorer(g, d, e, 1.0);
        yield return new EgbadScorer(g, e, bd, new EgbadOptions(JointWidth: 16));
        yield return new EgbadScorer(g, e, bd, new EgbadOptions(Score: EgbadScoreKind.FeatureMatching, JointWidth: 16));
        yield return new AnoGanScorer(g, d, new AnoGanOptions(SearchSteps: 5));
    }

    [Fact]
    public void ScoresDoNotDependOnBatchSizeOrOrder()
    {
        var x = Images(6);
        foreach (var scorer in Scorers())
        {
            using var all = scorer.Score(x, withMaps: true);
            Assert.Equal(new long[] { 6 }, all.Scores.shape);
            Assert.Equal(new long[] { 6, 1, 28, 28 }, all.Maps!.shape);
            var singles = cat(Enumerable.Range(0, 6).Select(i => scorer.Score(x.narrow(0, i, 1)).Scores).ToArray());
            Assert.True(all.Scores.allclose(singles, rtol: 1e-4, atol: 1e-5), $"{scorer.Method}: batch of 6 {Str(all.Scores)} vs one by one {Str(singles)}");
            var reversed = scorer.Score(x.flip(0)).Scores.flip(0);
            Assert.True(all.Scores.allclose(reversed, rtol: 1e-4, atol: 1e-5), $"{scorer.Method}: order changes scores");
        }
    }

    static string Str(Tensor t) => string.Join(", ", t.data<float>().ToArray().Select(v => v.ToString("0.#####")));

    [Fact]
    public void AnoGanSearchLowersItsObjective()
    {
        var scorer = Scorers().OfType<AnoGanScorer>().Single();
        var (z, objective, history) = scorer.Search(Images(4), steps: 15);
        Assert.Equal(new long[] { 4, 8 }, z.shape);
        Assert.True(objective.mean().item<float>() < history[0] - 1e-3, $"objective {objective.mean().item<float>()} not below the start {history[0]}");
        Assert.True(history[^1] < history[0], $"history {string.Join(", ", history)}");
    }

    [Fact]
    public void CorruptModelFolderIsRefusedWithAClearMessage()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("anomaly-model");
        var gan = new GanomalyGenerator(Config);
        var info = new AnomalyModelInfo("ganomaly", Config.ToJson(), GanSharp.Checkpoints.CheckpointWriter.ToJson(new GanomalyOptions()), 1, 28, 28, "stripes", 3, 0.5, 95, 4);
        var path = dir.Combine("model");
        AnomalyModel.Save(path, info, new Dictionary<string, TorchSharp.torch.nn.Module> { ["generator"] = gan }, new { test = true }, 1);
        var opened = AnomalyModel.Open(path);
        Assert.Equal((3, 0.5), (opened.Info.NormalClass!.Value, opened.Info.Threshold!.Value));
        var x = Images(2);
        Assert.True(new GanomalyScorer(gan).Score(x).Scores.allclose(opened.CreateScorer().Score(x).Scores));

        var weights = Path.Combine(path, "modules", "generator.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var e = Assert.Throws<GanSharpException>(() => AnomalyModel.Open(path));
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("generator.bin", e.Message);
        var other = dir.Combine("gan");
        using (var w = new GanSharp.Checkpoints.CheckpointWriter(other, "gan", 1, GanSharp.Checkpoints.CheckpointWriter.ToJson(new { }), Config.ToJson())) w.Commit();
        Assert.Contains("not an anomaly model", Assert.Throws<GanSharpException>(() => AnomalyModel.Open(other)).Message);
    }
}
