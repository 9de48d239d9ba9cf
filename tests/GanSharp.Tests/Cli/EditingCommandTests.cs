using GanSharp.Imaging;
using GanSharp.Methods.Editing;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class EditingCommandTests
{
    static string Generator => Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion");

    [Fact]
    public async Task DissectThenPaintWriteTheirFilesAndRefuseBadInput()
    {
        using var dir = new ScratchFolder("editing");
        var (code, output, err) = await CliTests.Run("dissect", "-g", Generator, "--layer", "1", "--samples", "40", "--batch", "20",
            "-o", dir.Combine("dis"), "--threads", "1");
        Assert.True(code == 0, err + output);
        Assert.Contains("units", output);
        Assert.True(File.Exists(dir.Combine("dis", "report", "index.html")));
        var d = DissectionResult.Load(dir.Combine("dis"));
        Assert.Equal(40, d.Samples);
        Assert.Equal(1, d.Layer);
        Assert.True(d.HasCausalEffects);
        Assert.Equal(40, d.CausalSamples); // --causal-samples 200 is capped at --samples
        Assert.Contains("best to insert", output);

        InversionCommandTests.WriteFashionPngs(dir.Combine("in"), 1);
        var mask = -ones(3, 28, 28);
        mask[.., 8..20, 8..20] = 1;
        ImageWriter.WritePng(mask, dir.Combine("mask.png"));
        (code, output, err) = await CliTests.Run("paint", "--image", dir.Combine("in", "img0.png"), "--mask", dir.Combine("mask.png"), "--concept", "dark",
            "--action", "remove", "-g", Generator, "--dissection", dir.Combine("dis"), "--steps", "6", "--quality", "preview", "-o", dir.Combine("out"),
            "--threads", "1", "--features", "none");
        Assert.True(code == 0, err + output);
        foreach (var f in new[] { "edited.png", "reconstruction.png", "mask.png", "sheet.png" }) Assert.True(File.Exists(dir.Combine("out", f)), f);
        // Outside the mask the edit is the input, pixel for pixel.
        var input = ImageReader.ReadTensor(dir.Combine("in", "img0.png"), new ImageReadOptions(ImageMode.Gray));
        var edited = ImageReader.ReadTensor(dir.Combine("out", "edited.png"), new ImageReadOptions(ImageMode.Gray));
        var outside = ones(1, 28, 28, dtype: ScalarType.Bool);
        outside[.., 8..20, 8..20] = false;
        Assert.True((edited - input).abs().masked_select(outside).max().item<float>() < 1.5f / 255);

        // An unknown concept is refused with the known ones; an empty mask and a missing dissection are refused clearly.
        (code, _, err) = await CliTests.Run("paint", "--image", dir.Combine("in", "img0.png"), "--mask", dir.Combine("mask.png"), "--concept", "unicorn",
            "-g", Generator, "--dissection", dir.Combine("dis"), "-o", dir.Combine("bad"));
        Assert.Equal(1, code);
        Assert.Contains("unicorn", err);
        Assert.Contains("yellow", err);
        ImageWriter.WritePng(-ones(3, 28, 28), dir.Combine("empty.png"));
        (code, _, err) = await CliTests.Run("paint", "--image", dir.Combine("in", "img0.png"), "--mask", dir.Combine("empty.png"), "--concept", "dark",
            "-g", Generator, "--dissection", dir.Combine("dis"), "-o", dir.Combine("bad"));
        Assert.Equal(1, code);
        Assert.Contains("empty", err);
        (code, _, err) = await CliTests.Run("paint", "--image", dir.Combine("in", "img0.png"), "--mask", dir.Combine("mask.png"), "--concept", "dark",
            "-g", Generator, "--dissection", dir.Combine("nowhere"), "-o", dir.Combine("bad"));
        Assert.Equal(1, code);
        Assert.Contains("dissection", err);
        Assert.False(Directory.Exists(dir.Combine("bad")));
    }

    [Fact]
    public async Task ExportedSamplesAreTheDissectionsSamplesAndUserMasksAreUsed()
    {
        using var dir = new ScratchFolder("masks-cli");
        var (code, output, err) = await CliTests.Run("dissect", "-g", Generator, "--layer", "1", "--export-samples", "3", "-o", dir.Combine("samples"), "--threads", "1");
        Assert.True(code == 0, err + output);
        Assert.True(File.Exists(dir.Combine("samples", "2.png")));
        // Paint a "top" concept on sample 1: its upper half.
        Directory.CreateDirectory(dir.Combine("masks", "1"));
        var m = -ones(3, 28, 28);
        m[.., ..14, ..] = 1;
        ImageWriter.WritePng(m, dir.Combine("masks", "1", "top.png"));
        (code, output, err) = await CliTests.Run("dissect", "-g", Generator, "--layer", "1", "--samples", "3", "--masks", dir.Combine("masks"), "-o", dir.Combine("dis"), "--threads", "1");
        Assert.True(code == 0, err + output);
        var d = DissectionResult.Load(dir.Combine("dis"));
        Assert.Equal(new[] { "top" }, d.Concepts);
        Assert.Equal(0.5, d.ConceptScores[0].Coverage, 6); // only sample 1 counts, half of it painted
        Assert.False(d.HasCausalEffects);                   // user masks cannot segment edited samples
        Assert.Contains("causal effects are not measured", err);
    }
}
