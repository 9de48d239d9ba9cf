using System.Text.Json;
using System.Text.Json.Nodes;
using GanSharp.Checkpoints;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GanSharp.Tests.Checkpoints;

public class CheckpointTests
{
    sealed record TinyArch(int Channels, int Classes);

    sealed record TinyOptions(double LearningRate, int BatchSize);

    sealed record DataPosition(int Epoch, long Index);

    static readonly TinyArch Arch = new(8, 5);

    static nn.Module<Tensor, Tensor> Build(TinyArch a) => nn.Sequential(
        ("conv", nn.Conv2d(3, a.Channels, 3, padding: 1)),
        ("act", nn.LeakyReLU(0.2)),
        ("flat", nn.Flatten()),
        ("fc", nn.Linear(a.Channels * 4 * 4, a.Classes)));

    static nn.Module<Tensor, Tensor> BuildFromJson(JsonElement e) =>
        Build(e.Deserialize<TinyArch>(CheckpointManifest.JsonOptions) ?? throw new InvalidOperationException());

    static Tensor Input(int seed) => randn(new long[] { 2, 3, 4, 4 }, generator: new Generator((ulong)seed)); // [N, C, H, W]

    static CheckpointManifest Save(string path, nn.Module module, long step = 10, Action<CheckpointWriter>? more = null)
    {
        using var w = new CheckpointWriter(path, "tiny", step,
            CheckpointWriter.ToJson(new TinyOptions(2e-4, 16)), CheckpointWriter.ToJson(Arch));
        w.AddModule("net", module);
        more?.Invoke(w);
        return w.Commit();
    }

    [Fact]
    public void ModuleRoundTripGivesBitIdenticalOutputs()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("ckpt");
        manual_seed(1);
        var original = Build(Arch);
        string path = dir.Combine("ckpt");
        Save(path, original);

        manual_seed(2);
        var restored = Build(Arch);
        var x = Input(3);
        using (no_grad()) Assert.False(Same(original.call(x), restored.call(x)));
        var reader = CheckpointReader.Open(path);
        reader.LoadModule("net", restored, CPU);
        using (no_grad()) Assert.True(Same(original.call(x), restored.call(x)));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".*"));
    }

    [Fact]
    public void ManifestRecordsVersionsOptionsArchitectureAndHashes()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        var written = Save(path, Build(Arch), step: 1234, more: w => w.AddJson("data", new DataPosition(3, 77)));
        var m = CheckpointReader.Open(path).Manifest;
        Assert.Equal(CheckpointManifest.CurrentFormatVersion, m.FormatVersion);
        Assert.Equal("tiny", m.Method);
        Assert.Equal(1234, m.Step);
        Assert.Equal("0.107.0", m.TorchSharpVersion);
        Assert.False(string.IsNullOrEmpty(m.GanSharpVersion));
        Assert.True((DateTime.UtcNow - m.CreatedUtc).Duration() < TimeSpan.FromMinutes(5));
        Assert.Equal(2e-4, m.Options.GetProperty("learningRate").GetDouble());
        Assert.Equal(8, m.Architecture.GetProperty("channels").GetInt32());
        Assert.Equal(written.Files, m.Files);
        var net = m.Find(CheckpointFileKind.Module, "net")!;
        Assert.Equal("modules/net.bin", net.Path);
        Assert.Equal(new FileInfo(Path.Combine(path, "modules", "net.bin")).Length, net.Bytes);
        Assert.Equal(64, net.Sha256.Length);
        Assert.NotNull(m.Find(CheckpointFileKind.Extra, "data"));
    }

    [Fact]
    public void RegistryRebuildsTheModelFromTheArchitectureConfig()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("ckpt");
        manual_seed(4);
        var original = Build(Arch);
        string path = dir.Combine("ckpt");
        Save(path, original);

        var registry = new CheckpointModelRegistry();
        var reader = CheckpointReader.Open(path);
        var missing = Assert.Throws<GanSharpException>(() => reader.BuildModule("net", registry));
        Assert.Contains("no model factory registered for method 'tiny'", missing.Message);

        registry.Register("tiny", BuildFromJson);
        var rebuilt = (nn.Module<Tensor, Tensor>)reader.BuildModule("net", registry, CPU);
        var x = Input(5);
        using (no_grad()) Assert.True(Same(original.call(x), rebuilt.call(x)));

        // A network-specific factory wins over the method's.
        bool specificUsed = false;
        registry.Register("tiny", e => { specificUsed = true; return BuildFromJson(e); }, module: "net");
        reader.BuildModule("net", registry);
        Assert.True(specificUsed);
    }

    [Fact]
    public void AdamStateRoundTripGivesTheSameNextStep()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("ckpt");
        var x = Input(6);
        var target = randn(new long[] { 2, 5 }, generator: new Generator(7));
        void Step(nn.Module<Tensor, Tensor> m, optim.Optimizer o)
        {
            o.zero_grad();
            F.mse_loss(m.call(x), target).backward();
            o.step();
        }

        manual_seed(8);
        var model = Build(Arch);
        var adam = optim.Adam(model.parameters(), lr: 0.01, beta1: 0.5, beta2: 0.99);
        for (int i = 0; i < 3; i++) Step(model, adam);
        string path = dir.Combine("ckpt");
        Save(path, model, step: 3, more: w => w.AddOptimizer("adam", adam));
        Step(model, adam);

        manual_seed(9);
        var restored = Build(Arch);
        var reader = CheckpointReader.Open(path);
        reader.LoadModule("net", restored);
        var adam2 = optim.Adam(restored.parameters(), lr: 0.5); // options are restored from the checkpoint too
        reader.LoadOptimizer("adam", adam2);
        Step(restored, adam2);

        foreach (var ((name, a), (_, b)) in model.named_parameters().Zip(restored.named_parameters()))
            Assert.True(Same(a, b), $"parameter {name} differs after the resumed step");

        // Without the moments the same step lands elsewhere: the test would catch a state that is not restored.
        manual_seed(9);
        var fresh = Build(Arch);
        reader.LoadModule("net", fresh);
        var adam3 = optim.Adam(fresh.parameters(), lr: 0.01, beta1: 0.5, beta2: 0.99);
        Step(fresh, adam3);
        Assert.False(model.parameters().Zip(fresh.parameters()).All(p => Same(p.First, p.Second)));
    }

    [Fact]
    public void ExtrasRoundTrip()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        var rng = new byte[] { 0, 1, 2, 255 };
        Save(path, Build(Arch), more: w =>
        {
            w.AddJson("data", new DataPosition(2, 123456789012));
            w.AddBytes("rng", rng);
            w.AddFile("notes.txt", s => s.Write("hello"u8));
        });
        var reader = CheckpointReader.Open(path);
        Assert.Equal(new DataPosition(2, 123456789012), reader.ReadJson<DataPosition>("data"));
        Assert.Equal(rng, reader.ReadBytes("rng"));
        using (var s = reader.OpenExtra("notes.txt")) Assert.Equal("hello", new StreamReader(s).ReadToEnd());
        Assert.True(reader.Has(CheckpointFileKind.Extra, "rng"));
        var e = Assert.Throws<GanSharpException>(() => reader.ReadBytes("ema"));
        Assert.Contains("no extra named 'ema'", e.Message);
    }

    [Fact]
    public void DuplicateAndUnsafeNamesAreRefused()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        using var w = new CheckpointWriter(dir.Combine("c"), "tiny", 0, CheckpointWriter.ToJson(new TinyOptions(1, 1)), CheckpointWriter.ToJson(Arch));
        w.AddBytes("a", new byte[1]);
        Assert.Throws<ArgumentException>(() => w.AddBytes("a", new byte[1]));
        Assert.Throws<ArgumentException>(() => w.AddBytes("../evil", new byte[1]));
        Assert.Throws<ArgumentException>(() => w.AddBytes("x/y", new byte[1]));
    }

    [Fact]
    public void FlippedByteInAWeightFileIsAnErrorNamingTheFile()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        string weights = Path.Combine(path, "modules", "net.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains("modules/net.bin", e.Message);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingTheFile()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        string weights = Path.Combine(path, "modules", "net.bin");
        using (var s = new FileStream(weights, FileMode.Open)) s.SetLength(s.Length - 10);
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains("modules/net.bin", e.Message);
        Assert.Contains("bytes", e.Message);
    }

    [Fact]
    public void TruncatedManifestIsAClearError()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        string manifest = Path.Combine(path, CheckpointManifest.FileName);
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text[..(text.Length / 2)]);
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains("manifest", e.Message);
        Assert.Contains("corrupt", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void MissingFileIsAnErrorNamingTheFile()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch), more: w => w.AddBytes("rng", new byte[] { 1 }));
        File.Delete(Path.Combine(path, "extras", "rng"));
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains("extras/rng is missing", e.Message);
    }

    [Fact]
    public void MissingFolderOrManifestIsAClearError()
    {
        using var dir = new ScratchFolder("ckpt");
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(dir.Combine("nope")));
        Assert.Contains("no such folder", e.Message);
        var e2 = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(dir.Path));
        Assert.Contains("manifest.json is missing", e2.Message);
    }

    [Theory]
    [InlineData(99, "newer than this build reads")]
    [InlineData(0, "unknown format version")]
    public void UnsupportedFormatVersionIsAClearError(int version, string expected)
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        RewriteManifest(path, m => m["formatVersion"] = version);
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ManifestPathOutsideTheCheckpointIsRefused()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        RewriteManifest(path, m => m["files"]![0]!["path"] = "../../etc/passwd");
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path));
        Assert.Contains("not a relative path inside the checkpoint", e.Message);
    }

    [Fact]
    public void WrongArchitectureIsAClearError()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch));
        var e = Assert.Throws<GanSharpException>(() => CheckpointReader.Open(path).LoadModule("net", Build(new TinyArch(4, 5))));
        Assert.Contains("cannot load modules/net.bin into module 'net'", e.Message);
    }

    [Fact]
    public void ReplacingACheckpointLeavesOnlyTheNewOne()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch), step: 1);
        Save(path, Build(Arch), step: 2);
        Assert.Equal(2, CheckpointReader.Open(path).Manifest.Step);
        Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void CrashBeforeCommitLeavesThePreviousCheckpointAndItsTempIsCleanedLater()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch), step: 1);
        // A process killed mid-write: the writer is never committed nor disposed.
        var abandoned = new CheckpointWriter(path, "tiny", 2, CheckpointWriter.ToJson(new TinyOptions(1, 1)), CheckpointWriter.ToJson(Arch));
        abandoned.AddModule("net", Build(Arch));
        var temps = Directory.GetDirectories(dir.Path, ".ckpt.tmp-*");
        Assert.Single(temps);

        Assert.Equal(1, CheckpointReader.Open(path).Manifest.Step);
        Assert.False(CheckpointLayout.Exists(temps[0]));

        Save(path, Build(Arch), step: 3);
        Assert.Equal(3, CheckpointReader.Open(path).Manifest.Step);
        Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void DisposingWithoutCommitRemovesTheTempFolder()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        using (var w = new CheckpointWriter(dir.Combine("ckpt"), "tiny", 2, CheckpointWriter.ToJson(new TinyOptions(1, 1)), CheckpointWriter.ToJson(Arch)))
            w.AddBytes("x", new byte[10]);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void CrashBetweenTheRenamesLeavesAReadableOldCopy()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        manual_seed(11);
        var model = Build(Arch);
        Save(path, model, step: 5);
        // State after "rename ckpt -> ckpt.old" and before "rename temp -> ckpt".
        Directory.Move(path, path + ".old");

        Assert.True(CheckpointLayout.Exists(path));
        var reader = CheckpointReader.Open(path);
        Assert.Equal(path + ".old", reader.Folder);
        Assert.Equal(5, reader.Manifest.Step);
        var restored = Build(Arch);
        reader.LoadModule("net", restored);
        var x = Input(12);
        using (no_grad()) Assert.True(Same(model.call(x), restored.call(x)));

        // The next write publishes normally and removes the stale copy.
        Save(path, model, step: 6);
        Assert.Equal(6, CheckpointReader.Open(path).Manifest.Step);
        Assert.False(Directory.Exists(path + ".old"));
    }

    [Fact]
    public void StaleOldCopyBesideACompleteCheckpointIsIgnoredAndRemoved()
    {
        TorchRuntime.EnsureInitialized();
        using var dir = new ScratchFolder("ckpt");
        string path = dir.Combine("ckpt");
        Save(path, Build(Arch), step: 1);
        CopyDirectory(path, path + ".old");
        Save(path, Build(Arch), step: 2);
        Assert.Equal(2, CheckpointReader.Open(path).Manifest.Step);
        Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(dir.Path));
    }

    /// <summary>Bit-identical: same shape and every element equal.</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();

    static void RewriteManifest(string path, Action<JsonNode> edit)
    {
        string file = Path.Combine(path, CheckpointManifest.FileName);
        var node = JsonNode.Parse(File.ReadAllText(file))!;
        edit(node);
        File.WriteAllText(file, node.ToJsonString());
    }

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
