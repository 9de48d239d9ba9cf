using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class DatasetSpecTests
{
    [Theory]
    [InlineData("fashion-mnist", DatasetKind.FashionMnist, null, null, null)]
    [InlineData("fashion-mnist:7", DatasetKind.FashionMnist, null, null, 7)]
    [InlineData("fashion-mnist:test", DatasetKind.FashionMnist, null, DatasetSplit.Test, null)]
    [InlineData("Fashion-MNIST:train:0", DatasetKind.FashionMnist, null, DatasetSplit.Train, 0)]
    [InlineData("fashion-mnist:sneaker:test", DatasetKind.FashionMnist, null, DatasetSplit.Test, 7)]
    [InlineData("fashion-mnist:ankle-boot", DatasetKind.FashionMnist, null, null, 9)]
    [InlineData("fashion-mnist:t-shirt/top", DatasetKind.FashionMnist, null, null, 0)]
    [InlineData("folder:/data/faces", DatasetKind.Folder, "/data/faces", null, null)]
    [InlineData("folder:C:\\data:x", DatasetKind.Folder, "C:\\data:x", null, null)]
    [InlineData("emoji:google", DatasetKind.Emoji, "google", null, null)]
    [InlineData("emoji:google:train", DatasetKind.Emoji, "google", DatasetSplit.Train, null)]
    [InlineData("emoji:Twitter:heldout", DatasetKind.Emoji, "twitter", DatasetSplit.Test, null)]
    [InlineData("photos", DatasetKind.Photos, null, null, null)]
    public void ParsesTheDocumentedForms(string text, DatasetKind kind, string? argument, DatasetSplit? split, int? cls)
    {
        var spec = DatasetSpec.Parse(text);
        Assert.Equal(new DatasetSpec(kind, argument, split, cls), spec);
        Assert.Equal(spec, DatasetSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("cifar10", "unknown dataset kind 'cifar10'")]
    [InlineData("fashion-mnist:10", "out of range")]
    [InlineData("fashion-mnist:validation", "neither a split")]
    [InlineData("fashion-mnist:test:train", "split is given twice")]
    [InlineData("fashion-mnist:1:2", "class is given twice")]
    [InlineData("folder:", "needs a path")]
    [InlineData("folder", "needs a path")]
    [InlineData("emoji", "needs a vendor")]
    [InlineData("emoji:goo gle", "must be letters")]
    [InlineData("emoji:google:test2", "not an emoji split")]
    [InlineData("emoji:google:train:1", "optionally a split")]
    [InlineData("photos:astronaut", "photos takes no argument")]
    public void RejectsMalformedSpecsWithAClearMessage(string text, string problem)
    {
        var e = Assert.Throws<GanSharpException>(() => DatasetSpec.Parse(text));
        Assert.Contains(problem, e.Message);
        Assert.Contains("fashion-mnist[:train|test][:CLASS]", e.Hint);
        Assert.False(DatasetSpec.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void ValidateChecksRecordsBuiltInCode()
    {
        Assert.Throws<GanSharpException>(() => new DatasetSpec(DatasetKind.Folder, "/x", Class: 1).Validate());
        Assert.Throws<GanSharpException>(() => new DatasetSpec(DatasetKind.FashionMnist, "arg").Validate());
        Assert.NotNull(new DatasetSpec(DatasetKind.Emoji, "apple").Validate());
    }
}
