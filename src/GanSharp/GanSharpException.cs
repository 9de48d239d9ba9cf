namespace GanSharp;

/// <summary>
/// An error a user can act on: bad input, a missing data set, a corrupt checkpoint.
/// The CLI prints <see cref="Exception.Message"/> and <see cref="Hint"/> as one line each, without a stack trace.
/// </summary>
public class GanSharpException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What went wrong, naming the file or option concerned.</param>
    /// <param name="hint">What to do about it, or null.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public GanSharpException(string message, string? hint = null, Exception? inner = null) : base(message, inner) => Hint = hint;

    /// <summary>A suggestion for the user, or null.</summary>
    public string? Hint { get; }
}
