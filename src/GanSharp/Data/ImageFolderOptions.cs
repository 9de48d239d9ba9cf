using GanSharp.Imaging;

namespace GanSharp.Data;

/// <summary>What to do with a file that is not a readable image.</summary>
public enum BadImagePolicy
{
    /// <summary>Throw a <see cref="GanSharpException"/> naming the file.</summary>
    Fail,

    /// <summary>Leave the file out and log one warning naming it.</summary>
    Skip,
}

/// <summary>How much of every file is checked when a folder is opened.</summary>
public enum ImageValidation
{
    /// <summary>Headers only (format, size limits): fast; a file truncated in its pixel data fails later, when read.</summary>
    Header,

    /// <summary>Decode every file once: slow, but every bad file is found (and skipped or reported) up front.</summary>
    Full,
}

/// <summary>Options of <see cref="ImageFolderDataset"/>.</summary>
/// <param name="Width">Width every image is fitted to.</param>
/// <param name="Height">Height every image is fitted to.</param>
/// <param name="Mode">Gray (1 channel) or RGB (3).</param>
/// <param name="Resize">How images of another aspect ratio are fitted.</param>
/// <param name="Background">Colour under transparency and in letterbox padding (white when null).</param>
/// <param name="BadFiles">Fail on, or skip, files that are not readable images.</param>
/// <param name="Validation">How thoroughly files are checked when the folder is opened.</param>
/// <param name="CacheSize">Decoded images kept in memory (least recently used are dropped); 0 disables the cache.</param>
/// <param name="Extensions">File extensions (lower case, with dot) taken as images.</param>
/// <param name="Limits">Header limits against decompression bombs (default when null).</param>
public sealed record ImageFolderOptions(
    int Width = 64,
    int Height = 64,
    ImageMode Mode = ImageMode.Rgb,
    ResizePolicy Resize = ResizePolicy.CenterCrop,
    RgbColor? Background = null,
    BadImagePolicy BadFiles = BadImagePolicy.Fail,
    ImageValidation Validation = ImageValidation.Header,
    int CacheSize = 1024,
    IReadOnlyList<string>? Extensions = null,
    ImageLimits? Limits = null)
{
    /// <summary>The extensions used when <see cref="Extensions"/> is null.</summary>
    public static IReadOnlyList<string> DefaultExtensions => Imaging.ImageFiles.Extensions;

    /// <summary>The read options every image is decoded with.</summary>
    public ImageReadOptions ReadOptions => new(Mode, AlphaPolicy.Composite, Width, Height, Resize, Background, Limits);

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid option; returns this otherwise.</summary>
    public ImageFolderOptions Validate()
    {
        ReadOptions.Validate();
        if (!Enum.IsDefined(BadFiles)) throw new GanSharpException($"Unknown bad-file policy {(int)BadFiles}.");
        if (!Enum.IsDefined(Validation)) throw new GanSharpException($"Unknown validation level {(int)Validation}.");
        if (CacheSize < 0) throw new GanSharpException($"Image cache size must be 0 or more (got {CacheSize}).");
        if (Extensions is { Count: 0 }) throw new GanSharpException("Image extensions must not be empty.");
        return this;
    }
}
