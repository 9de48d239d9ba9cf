using GanSharp.Data;
using GanSharp.Imaging;
using GanSharp.Methods.Inversion;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Cli;

public class InversionCommandTests
{
    static string Generator => Path.Combine(DataCommandTests.Assets, "checkpoints", "dcgan-fashion");

    /// <summary>Writes the first <paramref name="count"/> bundled Fashion-MNIST test images as PNGs into <paramref name="folder"/>.</summary>
    internal static void WriteFashionPngs(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var data = DatasetResolver.Resolve("bundled:fashion-mnist", new DatasetResolveOptions(BundledRoot: Path.Combine(DataCommandTests.Assets, "samples")));
        var pixels = new float[data.Channels * data.Height * data.Width];
        for (int i = 0; i < count; i++)
        {
            data.CopyPixels(i, pixels);
            using var t = tensor(pixels, new long[] { data.Channels, data.Height, data.Width });
            ImageWriter.WritePng(t, Path.Combine(folder, $"img{i}.png"));
        }
    }

    [Fact]
    public async Task InvertWritesReconstructionsLatentsAndAComparison()
    {
        using var dir = new ScratchFolder("invert");
        WriteFashionPngs(dir.Combine("in"), 2);
        var (code, output, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--space", "z",
            "--steps", "5", "-o", dir.Combine("out"), "--threads", "1", "--assets", DataCommandTests.Assets);
        Assert.True(code == 0, err + output);
        Assert.True(File.Exists(dir.Combine("out", "reconstructions", "img0.png")));
        Assert.True(File.Exists(dir.Combine("out", "reconstructions", "img1.png")));
        Assert.True(File.Exists(dir.Combine("out", "comparison.png")));
        Assert.Contains("mean PSNR", output);
        var (info, tensors) = LatentFile.Read(dir.Combine("out", "latents.json"));
        Assert.Equal("z", info.Space);
        Assert.Equal("single", info.Method);
        Assert.Equal(new long[] { 2, 64 }, tensors["codes"].shape);
        Assert.Equal(new[] { "img0", "img1" }, info.Images);

        // sample --latents renders the same reconstructions (DCGAN: no noise inputs).
        (code, output, err) = await CliTests.Run("sample", "--checkpoint", Generator, "--latents", dir.Combine("out", "latents.json"), "-o", dir.Combine("again.png"), "--threads", "1");
        Assert.True(code == 0, err + output);
        var g = GanSharp.Methods.Synthesis.Gan.GanCheckpoint.LoadGenerator(Generator);
        var recon = ImageReader.ReadTensor(dir.Combine("out", "reconstructions", "img1.png"), new ImageReadOptions(ImageMode.Gray));
        Tensor rendered;
        using (no_grad()) rendered = LatentFile.Render(g, info, tensors);
        Assert.True((rendered[1].clamp(-1, 1) - recon).abs().max().item<float>() < 2.5f / 255, "rendered codes match the written reconstruction (PNG quantisation)");
        Assert.True(File.Exists(dir.Combine("again.png")));
    }

    [Fact]
    public async Task InvertWithMGanPriorStoresCodesAndImportances()
    {
        using var dir = new ScratchFolder("invert-m");
        WriteFashionPngs(dir.Combine("in"), 1);
        var (code, output, err) = await CliTests.Run("invert", "--images", dir.Combine("in", "img0.png"), "--generator", Generator, "--method", "mganprior",
            "--codes", "3", "--layer", "1", "--steps", "3", "--features", "none", "-o", dir.Combine("out"), "--threads", "1");
        Assert.True(code == 0, err + output);
        var (info, tensors) = LatentFile.Read(dir.Combine("out", "latents.json"));
        Assert.Equal("mganprior", info.Method);
        Assert.Equal(1, info.Layer);
        Assert.Equal(new long[] { 1, 3, 64 }, tensors["codes"].shape);
        Assert.Equal(3, tensors["alphas"].shape[1]);
    }

    [Fact]
    public async Task TrainEncoderThenInvertWithTheEncoderAndHybrid()
    {
        using var dir = new ScratchFolder("encoder-cli");
        var (code, output, err) = await CliTests.Run("train", "encoder", "--generator", Generator, "--data", "bundled:fashion-mnist", "--assets", DataCommandTests.Assets,
            "--steps", "3", "--batch", "4", "--width", "4", "--features", "none", "--runs", dir.Combine("runs"), "--threads", "1");
        Assert.True(code == 0, err + output);
        var checkpoint = Directory.GetDirectories(Directory.GetDirectories(dir.Combine("runs")).Single(), "step-*", SearchOption.AllDirectories).Single();
        WriteFashionPngs(dir.Combine("in"), 2);
        foreach (var method in new[] { "encoder", "hybrid" })
        {
            (code, output, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--method", method, "--encoder", checkpoint,
                "--steps", "2", "--features", "none", "-o", dir.Combine(method), "--threads", "1");
            Assert.True(code == 0, err + output);
            var (info, tensors) = LatentFile.Read(dir.Combine(method, "latents.json"));
            Assert.Equal(method, info.Method);
            Assert.Equal("w", info.Space);
            Assert.Equal(new long[] { 2, 64 }, tensors["codes"].shape);
        }
        // A slim export holds the networks only (no optimiser or resume state) and inverts exactly as the training checkpoint does.
        (code, output, err) = await CliTests.Run("export", "-c", checkpoint, "-o", dir.Combine("slim"));
        Assert.True(code == 0, err + output);
        var slim = GanSharp.Checkpoints.CheckpointReader.Open(dir.Combine("slim")).Manifest;
        Assert.Equal("encoder", slim.Method);
        Assert.DoesNotContain(slim.Files, f => f.Kind != GanSharp.Checkpoints.CheckpointFileKind.Module);
        (code, output, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--method", "encoder", "--encoder", dir.Combine("slim"),
            "--features", "none", "-o", dir.Combine("encoder-slim"), "--threads", "1");
        Assert.True(code == 0, err + output);
        Assert.True(LatentFile.Read(dir.Combine("encoder", "latents.json")).Tensors["codes"].equal(LatentFile.Read(dir.Combine("encoder-slim", "latents.json")).Tensors["codes"]).all().item<bool>());
        (code, _, err) = await CliTests.Run("export", "-c", checkpoint, "-o", dir.Combine("slim2"), "--no-discriminator");
        Assert.Equal(1, code);
        Assert.Contains("GAN checkpoints only", err);
        (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--method", "encoder", "-o", dir.Combine("x"), "--features", "none");
        Assert.Equal(1, code);
        Assert.Contains("--encoder", err);
        (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--method", "hybrid", "--encoder", Generator, "-o", dir.Combine("x"), "--features", "none");
        Assert.Equal(1, code);
        Assert.Contains("'gan' checkpoint", err);
    }

    [Fact]
    public async Task PadInvRefusesADcganGeneratorAndNeedsAnEncoder()
    {
        using var dir = new ScratchFolder("padinv-cli");
        var (code, output, err) = await CliTests.Run("train", "padinv", "--generator", Generator, "--data", "bundled:fashion-mnist", "--assets", DataCommandTests.Assets,
            "--steps", "1", "--features", "none", "--runs", dir.Combine("runs"), "--threads", "1");
        Assert.Equal(1, code);
        Assert.Contains("StyleGAN", err + output);
        WriteFashionPngs(dir.Combine("in"), 1);
        (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("in"), "--generator", Generator, "--method", "padinv", "-o", dir.Combine("x"), "--features", "none");
        Assert.Equal(1, code);
        Assert.Contains("gansharp train padinv", err);
    }

    [Fact]
    public async Task ImagesOfAnotherSizeAreRefusedUnlessResizeIsGiven()
    {
        using var dir = new ScratchFolder("invert-size");
        using (var big = zeros(1, 40, 40)) ImageWriter.WritePng(big, dir.Combine("big.png"));
        var (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("big.png"), "--generator", Generator, "--steps", "2", "-o", dir.Combine("out"), "--features", "none");
        Assert.Equal(1, code);
        Assert.Contains("40x40", err);
        Assert.Contains("--resize", err);
        (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("big.png"), "--generator", Generator, "--steps", "2", "-o", dir.Combine("out"), "--features", "none", "--resize");
        Assert.True(code == 0, err);
        (code, _, err) = await CliTests.Run("invert", "--images", dir.Combine("missing"), "--generator", Generator, "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("no such file", err);
    }

    [Fact]
    public async Task RestoreInpaintsAndWritesASideBySideWithTheTruth()
    {
        using var dir = new ScratchFolder("restore");
        WriteFashionPngs(dir.Combine("in"), 2);
        var (code, output, err) = await CliTests.Run("restore", "--task", "inpaint", "--image", dir.Combine("in"), "--generator", Generator,
            "--space", "z", "--steps", "5", "--restarts", "2", "-o", dir.Combine("out"), "--threads", "1", "--assets", DataCommandTests.Assets);
        Assert.True(code == 0, err + output);
        Assert.True(File.Exists(dir.Combine("out", "restored", "img1.png")));
        Assert.Contains("mean PSNR to truth", output);
        Assert.Contains("restored (mganprior (mean of 2))", output);
        Assert.Contains("classical (harmonic)", output);
        // The harmonic baseline keeps the known pixels and fills the hole smoothly, written next to the GAN's restoration.
        var truth = ImageReader.ReadTensor(dir.Combine("in", "img1.png"), new ImageReadOptions(ImageMode.Gray));      // [1, 28, 28]
        var baseline = ImageReader.ReadTensor(dir.Combine("out", "baseline", "img1.png"), new ImageReadOptions(ImageMode.Gray));
        var known = GanSharp.Methods.Restoration.InpaintDegradation.CentreBox(new GanSharp.Models.ImageShape(1, 28, 28)).Mask[0].eq(1); // [1, 28, 28]
        Assert.True((baseline - truth).masked_select(known).abs().max().item<float>() < 1.5f / 255, "known pixels kept (PNG quantisation)");
        Assert.True((baseline - truth).masked_select(known.logical_not()).abs().mean().item<float>() < 0.5f, "the hole is filled, not left gray");
        var header = ImageReader.ReadHeader(dir.Combine("out", "comparison.png"));
        Assert.True(header.Width >= 4 * 56, $"four columns of 56 px cells (degraded, baseline, restored, truth): {header.Width}x{header.Height}");
    }

    [Fact]
    public async Task RestoreFitsTheDenoisingBaselineOnTrainingImagesOrSkipsIt()
    {
        using var dir = new ScratchFolder("restore-baseline");
        WriteFashionPngs(dir.Combine("in"), 2);
        var (code, output, err) = await CliTests.Run("restore", "--task", "denoise", "--image", dir.Combine("in"), "--generator", Generator, "--method", "single",
            "--steps", "2", "--features", "none", "--baseline-data", "bundled:fashion-mnist", "-o", dir.Combine("out"), "--threads", "1", "--assets", DataCommandTests.Assets);
        Assert.True(code == 0, err + output);
        Assert.Contains("classical baseline fitted on 64 images", output);
        Assert.Contains("Gaussian filter, σ = ", output);
        Assert.True(File.Exists(dir.Combine("out", "baseline", "img0.png")));
        Assert.Matches(@"vs \d+\.\d\d dB classical \(Gaussian", output);
        // none: no baseline column, no baseline folder.
        (code, output, err) = await CliTests.Run("restore", "--task", "denoise", "--image", dir.Combine("in"), "--generator", Generator, "--method", "single",
            "--steps", "2", "--features", "none", "--baseline-data", "none", "-o", dir.Combine("none"), "--threads", "1");
        Assert.True(code == 0, err + output);
        Assert.False(Directory.Exists(dir.Combine("none", "baseline")));
        Assert.True(ImageReader.ReadHeader(dir.Combine("none", "comparison.png")).Width < 4 * 56);
        // Inputs already degraded: the baseline restores them as they are (super-resolution of 7 px images, bicubic).
        Directory.CreateDirectory(dir.Combine("low"));
        using (var low = zeros(1, 7, 7) + 0.3f) ImageWriter.WritePng(low, dir.Combine("low", "flat.png"));
        (code, output, err) = await CliTests.Run("restore", "--task", "sr", "--observed", "--image", dir.Combine("low"), "--generator", Generator, "--method", "single",
            "--steps", "2", "--features", "none", "-o", dir.Combine("sr"), "--threads", "1");
        Assert.True(code == 0, err + output);
        var up = ImageReader.ReadTensor(dir.Combine("sr", "baseline", "flat.png"), new ImageReadOptions(ImageMode.Gray));
        Assert.Equal(new long[] { 1, 28, 28 }, up.shape);
        Assert.True((up - up[0, 0, 0]).abs().max().item<float>() < 1.5f / 255, "bicubic of a flat image is flat");
        (code, _, err) = await CliTests.Run("restore", "--task", "denoise", "--image", dir.Combine("in"), "--generator", Generator, "--steps", "1", "--features", "none",
            "--baseline-data", "emoji:nobody", "-o", dir.Combine("bad"), "--assets", DataCommandTests.Assets);
        Assert.Equal(1, code);
        Assert.Contains("--baseline-data emoji:nobody", err);
    }

    /// <summary>Colorization restores with one code in z, averaged over 8 restarts, unless --method / --space / --restarts say otherwise (measured best on held-out emoji).</summary>
    [Fact]
    public async Task RestoreColorizesWithOneCodeInZUnlessTold()
    {
        using var dir = new ScratchFolder("restore-colorize");
        string emoji = Path.Combine(DataCommandTests.Assets, "samples", "emoji-twitter", "img", "twitter", "64");
        string generator = Path.Combine(DataCommandTests.Assets, "checkpoints", "stylegan2-emoji");
        Directory.CreateDirectory(dir.Combine("in"));
        File.Copy(Directory.GetFiles(emoji, "*.png").Order(StringComparer.Ordinal).First(), dir.Combine("in", "a.png"));
        string[] common = { "restore", "--task", "colorize", "--image", dir.Combine("in"), "--resize", "--generator", generator,
            "--steps", "2", "--features", "none", "--baseline-data", "none", "--threads", "1" };
        var (code, output, err) = await CliTests.Run(common.Concat(new[] { "-o", dir.Combine("z") }).ToArray());
        Assert.True(code == 0, err + output);
        Assert.Contains("colorize: one code in z", output);
        Assert.Contains("restored (single (mean of 8))", output);
        var restored = ImageReader.ReadTensor(dir.Combine("z", "restored", "a.png"), new ImageReadOptions(ImageMode.Rgb)); // [3, 32, 32]
        Assert.Equal(new long[] { 3, 32, 32 }, restored.shape);
        (code, output, err) = await CliTests.Run(common.Concat(new[] { "--space", "w", "--restarts", "1", "-o", dir.Combine("w") }).ToArray());
        Assert.True(code == 0, err + output);
        Assert.Contains("colorize: one code in w", output);
        Assert.Contains("restored (single)", output);
        (code, output, err) = await CliTests.Run(common.Concat(new[] { "--method", "mganprior", "--space", "w", "--restarts", "1", "-o", dir.Combine("m") }).ToArray());
        Assert.True(code == 0, err + output);
        Assert.DoesNotContain("colorize:", output.Replace("colorize: mean PSNR", ""));
        Assert.Contains("restored (mganprior)", output);
    }

    [Fact]
    public async Task RestoreRefusesColorizationOfAGrayGeneratorAndBadOptions()
    {
        using var dir = new ScratchFolder("restore-bad");
        WriteFashionPngs(dir.Combine("in"), 1);
        var (code, _, err) = await CliTests.Run("restore", "--task", "colorize", "--image", dir.Combine("in"), "--generator", Generator, "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("RGB generator", err);
        (code, _, err) = await CliTests.Run("restore", "--task", "sr", "--scale", "3", "--image", dir.Combine("in"), "--generator", Generator, "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("scale 3", err);
        (code, _, err) = await CliTests.Run("restore", "--task", "sr", "--image", dir.Combine("in"), "--generator", Generator, "--method", "mganprior", "--layer", "9", "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("--layer 9", err);
        (code, _, err) = await CliTests.Run("restore", "--task", "sr", "--image", dir.Combine("in"), "--generator", Generator, "--restarts", "0", "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("--restarts 0", err);
        Assert.False(Directory.Exists(dir.Combine("out")), "nothing written");
        (code, _, err) = await CliTests.Run("restore", "--task", "sr", "--image", dir.Combine("in"), "--generator", Generator, "--restarts", "65", "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains("must be 1..64", err);
        Assert.False(Directory.Exists(dir.Combine("out")), "nothing written");
    }
}
