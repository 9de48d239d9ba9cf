namespace GanSharp.Data;

/// <summary>Options for <see cref="FashionMnist.Load"/>.</summary>
/// <param name="Folder">Folder holding the four <c>*-idx?-ubyte.gz</c> files; null: <c>GANSHARP_FASHION_MNIST</c>, then <see cref="FashionMnist.DefaultFolder"/>.</param>
/// <param name="Split">Train (60,000 images) or test (10,000).</param>
/// <param name="Class">Keep only this class (0..9), e.g. for one-class anomaly protocols; null keeps all.</param>
public sealed record FashionMnistOptions(string? Folder = null, DatasetSplit Split = DatasetSplit.Train, int? Class = null)
{
    /// <summary>Throws a <see cref="GanSharpException"/> describing the first invalid option.</summary>
    public FashionMnistOptions Validate()
    {
        if (Class is int c && (c < 0 || c >= FashionMnist.ClassNames.Count))
            throw new GanSharpException($"fashion-mnist class {c}: must be 0..{FashionMnist.ClassNames.Count - 1}",
                "classes: " + string.Join(", ", FashionMnist.ClassNames.Select((n, i) => $"{i}={n}")));
        if (!Enum.IsDefined(Split)) throw new GanSharpException($"fashion-mnist split {Split}: must be train or test");
        if (Folder != null && string.IsNullOrWhiteSpace(Folder)) throw new GanSharpException("fashion-mnist folder: empty path");
        return this;
    }
}

/// <summary>
/// Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747): 28x28 gray images of 10 clothing classes,
/// 60,000 train and 10,000 test, read from the original IDX gz files (Debian package <c>dataset-fashion-mnist</c>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Environment variable that overrides <see cref="DefaultFolder"/>.</summary>
    public const string FolderVariable = "GANSHARP_FASHION_MNIST";

    /// <summary>The ten class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    });

    /// <summary>The folder that will be read: the argument, else <c>GANSHARP_FASHION_MNIST</c>, else <see cref="DefaultFolder"/>.</summary>
    public static string ResolveFolder(string? folder = null)
    {
        if (!string.IsNullOrWhiteSpace(folder)) return folder;
        string? env = Environment.GetEnvironmentVariable(FolderVariable);
        return string.IsNullOrWhiteSpace(env) ? DefaultFolder : env;
    }

    /// <summary>The image and label file paths for a split inside <paramref name="folder"/>.</summary>
    public static (string Images, string Labels) FilesFor(string folder, DatasetSplit split)
    {
        string prefix = split == DatasetSplit.Train ? "train" : "t10k";
        return (Path.Combine(folder, prefix + "-images-idx3-ubyte.gz"), Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz"));
    }

    /// <summary>Whether both files of <paramref name="split"/> exist in the resolved folder.</summary>
    public static bool IsAvailable(string? folder = null, DatasetSplit split = DatasetSplit.Train)
    {
        var (images, labels) = FilesFor(ResolveFolder(folder), split);
        return File.Exists(images) && File.Exists(labels);
    }

    /// <summary>
    /// Loads a split into memory. Missing files are a <see cref="GanSharpException"/> whose hint says how to get them;
    /// damaged files are reported by <see cref="IdxReader"/>.
    /// </summary>
    public static IImageDataset Load(FashionMnistOptions? options = null)
    {
        options = (options ?? new FashionMnistOptions()).Validate();
        string folder = ResolveFolder(options.Folder);
        var (imagesPath, labelsPath) = FilesFor(folder, options.Split);
        foreach (var p in new[] { imagesPath, labelsPath })
            if (!File.Exists(p))
                throw new GanSharpException(
                    Directory.Exists(folder) ? $"Fashion-MNIST file not found: {p}" : $"Fashion-MNIST folder not found: {folder}",
                    $"sudo apt-get install dataset-fashion-mnist, or pass a folder holding {Path.GetFileName(imagesPath)} and {Path.GetFileName(labelsPath)} (or set {FolderVariable})");
        var (images, labels) = IdxReader.ReadImagesAndLabels(imagesPath, labelsPath);
        string split = options.Split == DatasetSplit.Train ? "train" : "test";
        IImageDataset all = new IdxDataset("fashion-mnist:" + split, images, labels, ClassNames);
        return options.Class is int c ? all.ClassFilter(c) : all;
    }
}
