using GanSharp.Methods.Inversion;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Inversion;

public class LatentFileTests
{
    public LatentFileTests() => TorchRuntime.EnsureInitialized();

    static string WriteOne(ScratchFolder dir)
    {
        var info = new LatentFileInfo(LatentFile.FormatName, 1, "w", "single", new long[] { 2, 4 }, null, "g", new[] { "a", "b" }, new Dictionary<string, string>());
        return LatentFile.Write(dir.Combine("latents.json"), info, new Dictionary<string, Tensor> { ["codes"] = arange(8, dtype: float32).reshape(2, 4) });
    }

    [Fact]
    public void ARoundTripKeepsTheCodesAndRecordsTheirHash()
    {
        using var dir = new ScratchFolder("latents");
        var path = WriteOne(dir);
        var (info, tensors) = LatentFile.Read(path);
        Assert.True(tensors["codes"].equal(arange(8, dtype: float32).reshape(2, 4)).all().item<bool>());
        Assert.Equal(64, Assert.Single(info.Sha256!).Value.Length);
    }

    [Fact]
    public void AFlippedByteOrATruncatedTensorFileIsRefusedNamingTheFile()
    {
        using var dir = new ScratchFolder("latents-bad");
        var path = WriteOne(dir);
        var codes = dir.Combine("latents.codes.pt");
        var bytes = File.ReadAllBytes(codes);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(codes, bytes);
        var e = Assert.Throws<GanSharpException>(() => LatentFile.Read(path));
        Assert.Contains("latents.codes.pt", e.Message);
        Assert.Contains("SHA-256", e.Message);

        // Without a recorded hash (files of older versions) a truncated file still gets a clear message.
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"sha256\"", "\"unused\""));
        File.WriteAllBytes(codes, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<GanSharpException>(() => LatentFile.Read(path));
        Assert.Contains("latents.codes.pt", e.Message);
    }
}
