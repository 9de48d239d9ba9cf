using GanSharp.Methods.Editing;
using GanSharp.Methods.Inversion;
using GanSharp.Methods.Translation;
using GanSharp.Models;

namespace GanSharp.Studio;

/// <summary>What the Studio serves and its limits.</summary>
/// <param name="Name">The model's name shown on the page (e.g. the checkpoint folder name).</param>
/// <param name="Generator">The generator (shared by all sessions; frozen and in eval mode while served).</param>
/// <param name="Dissection">The generator's dissection: the concepts that can be painted.</param>
/// <param name="Perceptual">Perceptual features for the inversion, or null for a pixel loss.</param>
public sealed record StudioOptions(string Name, IGenerator Generator, DissectionResult Dissection, IPerceptualFeatures? Perceptual)
{
    /// <summary>
    /// An image-to-image translator offered on the page (e.g. the bundled Google ↔ Twitter emoji CycleGAN), or null.
    /// Shared by all sessions (eval mode, no gradients).
    /// </summary>
    public LoadedTranslator? Translator { get; init; }

    /// <summary>What the translator's domains A and B are, for the page's buttons (e.g. "Google", "Twitter").</summary>
    public (string A, string B) TranslatorDomains { get; init; } = ("A", "B");

    /// <summary>GAN Paint settings of every session (tests use few steps so that a fit takes a moment).</summary>
    public PaintOptions Paint { get; init; } = new();

    /// <summary>Sessions held at once; a new one evicts the least recently used idle session when full.</summary>
    public int MaxSessions { get; init; } = 16;

    /// <summary>A session unused this long is dropped.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Heavy jobs (fit, preview, render) run at once; default one per core.</summary>
    public int MaxJobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Jobs that may wait for a slot; one more gets 429.</summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>Largest upload (the image file) in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 8L << 20;

    /// <summary>Largest JSON body (an edit with its mask) in bytes.</summary>
    public long MaxJsonBytes { get; init; } = 2L << 20;

    /// <summary>Largest uploaded image in pixels per side (checked from the header before decoding).</summary>
    public int MaxImageSide { get; init; } = 4096;

    /// <summary>Undo steps kept per session.</summary>
    public int MaxHistory { get; init; } = 32;

    /// <summary>Throws a <see cref="GanSharpException"/> naming the first invalid setting.</summary>
    public StudioOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Generator);
        ArgumentNullException.ThrowIfNull(Dissection);
        Paint.Validate();
        if (MaxSessions < 1) throw new GanSharpException($"studio: max sessions {MaxSessions}; must be at least 1");
        if (IdleTimeout <= TimeSpan.Zero) throw new GanSharpException("studio: the idle timeout must be positive");
        if (MaxJobs < 1) throw new GanSharpException($"studio: max jobs {MaxJobs}; must be at least 1");
        if (MaxQueue < 0) throw new GanSharpException($"studio: max queue {MaxQueue}; must not be negative");
        if (MaxUploadBytes < 1024 || MaxJsonBytes < 1024) throw new GanSharpException("studio: body limits must be at least 1 KiB");
        if (MaxImageSide < 16) throw new GanSharpException($"studio: max image side {MaxImageSide}; must be at least 16");
        if (MaxHistory < 1) throw new GanSharpException($"studio: max history {MaxHistory}; must be at least 1");
        return this;
    }
}
