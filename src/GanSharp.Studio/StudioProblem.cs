using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GanSharp.Studio;

/// <summary>An error the Studio answers with an HTTP status and an RFC 7807 problem document (never a stack trace).</summary>
public sealed class StudioProblem : Exception
{
    /// <summary>Creates the error.</summary>
    public StudioProblem(int status, string title, string detail, string? hint = null) : base(detail)
    {
        Status = status; Title = title; Hint = hint;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>A short summary of the kind of problem.</summary>
    public string Title { get; }

    /// <summary>What the user can do about it, or null.</summary>
    public string? Hint { get; }

    internal static StudioProblem BadRequest(string detail, string? hint = null) => new(StatusCodes.Status400BadRequest, "Bad request", detail, hint);
    internal static StudioProblem NotFound(string detail, string? hint = null) => new(StatusCodes.Status404NotFound, "Not found", detail, hint);
    internal static StudioProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);

    /// <summary>Writes an RFC 7807 <c>application/problem+json</c> response.</summary>
    internal static Task WriteAsync(HttpContext context, int status, string title, string detail, string? hint = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        var body = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (hint != null) body["hint"] = hint;
        return response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
