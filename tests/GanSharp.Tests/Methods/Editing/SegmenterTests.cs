using GanSharp.Methods.Editing;
using GanSharp.Platform;
using GanSharp.Tests.IO;
using static TorchSharp.torch;

namespace GanSharp.Tests.Methods.Editing;

public class SegmenterTests
{
    public SegmenterTests() => TorchRuntime.EnsureInitialized();

    /// <summary>A hand-made 16×16 "emoji" in [-1, 1]: white surround, a yellow face with two dark eyes and a white tooth, a red and a blue patch.</summary>
    static Tensor Face()
    {
        var img = ones(1, 3, 16, 16);                                  // white everywhere
        void Fill(int r0, int r1, int c0, int c1, float r, float g, float b)
        {
            img[0, 0, r0..r1, c0..c1] = r * 2 - 1; img[0, 1, r0..r1, c0..c1] = g * 2 - 1; img[0, 2, r0..r1, c0..c1] = b * 2 - 1;
        }
        Fill(2, 14, 2, 14, 1f, 0.8f, 0.1f);   // yellow face (hue 49°)
        Fill(5, 7, 5, 7, 0.1f, 0.08f, 0.05f); // dark eye
        Fill(5, 7, 9, 11, 0.1f, 0.08f, 0.05f);
        Fill(10, 11, 7, 9, 1f, 1f, 1f);       // white tooth inside the face
        Fill(0, 2, 0, 3, 0.9f, 0.1f, 0.1f);   // red corner patch
        Fill(14, 16, 13, 16, 0.1f, 0.3f, 0.9f); // blue corner patch
        return img;
    }

    static string At(Tensor masks, int r, int c)
    {
        var names = EmojiColorSegmenter.ConceptNames;
        for (int k = 0; k < names.Count; k++) if (masks[0, k, r, c].item<float>() == 1f) return names[k];
        return "none";
    }

    [Fact]
    public void EmojiColoursGetTheirConceptsAndEveryPixelExactlyOne()
    {
        using var scope = NewDisposeScope();
        var masks = EmojiColorSegmenter.Segment(Face());
        Assert.Equal(new long[] { 1, 11, 16, 16 }, masks.shape);
        Assert.True(masks.sum(1).eq(1).all().item<bool>(), "every pixel has exactly one concept");
        Assert.Equal("background", At(masks, 15, 0));
        Assert.Equal("background", At(masks, 1, 8));
        Assert.Equal("yellow", At(masks, 8, 4));
        Assert.Equal("dark", At(masks, 5, 5));
        Assert.Equal("dark", At(masks, 6, 10));
        Assert.Equal("white", At(masks, 10, 7));       // white inside the figure is not background
        Assert.Equal("red", At(masks, 0, 0));
        Assert.Equal("blue", At(masks, 15, 15));
        Assert.Equal(4f, masks[0, 1].sum().item<float>() / 2); // two 2×2 eyes
    }

    [Theory]
    [InlineData(0.95f, 0.75f, 0.6f, "skin")]     // light skin tone (hue 26°, S 0.37)
    [InlineData(0.95f, 0.55f, 0.1f, "orange")]   // hue 32°, saturated
    [InlineData(0.2f, 0.7f, 0.2f, "green")]
    [InlineData(0.6f, 0.2f, 0.8f, "purple")]
    [InlineData(0.5f, 0.5f, 0.52f, "gray")]
    public void SingleColoursMapToTheDocumentedConcept(float r, float g, float b, string concept)
    {
        using var scope = NewDisposeScope();
        var img = ones(1, 3, 8, 8);
        img[0, 0, 2..6, 2..6] = r * 2 - 1; img[0, 1, 2..6, 2..6] = g * 2 - 1; img[0, 2, 2..6, 2..6] = b * 2 - 1;
        Assert.Equal(concept, At(EmojiColorSegmenter.Segment(img), 4, 4));
    }

    [Fact]
    public void UserMasksAreReadPerSampleAndMissingSamplesAreUnknown()
    {
        using var dir = new ScratchFolder("masks");
        Directory.CreateDirectory(dir.Combine("3"));
        var mask = zeros(3, 8, 8);
        mask[.., 2..4, 2..4] = 1;
        GanSharp.Imaging.ImageWriter.WritePng(mask * 2 - 1, dir.Combine("3", "eyes.png"));
        Directory.CreateDirectory(dir.Combine("5"));
        GanSharp.Imaging.ImageWriter.WritePng(-ones(3, 16, 16), dir.Combine("5", "hat.png")); // another size: resized
        var seg = new UserMaskSegmenter(dir.Path);
        Assert.Equal(new[] { "eyes", "hat" }, seg.Concepts);
        using var scope = NewDisposeScope();
        var masks = seg.Segment(zeros(3, 3, 8, 8), new[] { 3, 4, 5 }, out bool[] known);
        Assert.Equal(new[] { true, false, true }, known);
        Assert.Equal(4f, masks[0, 0].sum().item<float>());
        Assert.Equal(0f, masks[0, 1].sum().item<float>());   // no hat.png in sample 3: absent
        Assert.Equal(0f, masks[2].sum().item<float>());
        Assert.Throws<GanSharpException>(() => new UserMaskSegmenter(dir.Combine("3")));
    }
}
