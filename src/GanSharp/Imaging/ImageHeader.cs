namespace GanSharp.Imaging;

/// <summary>What an image file's header says, read without decoding pixels.</summary>
/// <param name="Source">The file path (or the name given for in-memory bytes).</param>
/// <param name="Format">The encoded format: <c>png</c>, <c>jpeg</c>, <c>bmp</c>, <c>webp</c> or <c>gif</c>.</param>
/// <param name="Width">Stored width in pixels (before any EXIF rotation).</param>
/// <param name="Height">Stored height in pixels.</param>
/// <param name="HasAlpha">Whether the image has an alpha channel (or transparency).</param>
/// <param name="SourceChannels">Channels as stored: 1 (gray), 2 (gray + alpha), 3 (colour) or 4 (colour + alpha).</param>
public sealed record ImageHeader(string Source, string Format, int Width, int Height, bool HasAlpha, int SourceChannels);
