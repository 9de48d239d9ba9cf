namespace GanSharp.Data;

/// <summary>Builds a cache folder so that it is either absent or complete: filled in a temporary sibling, then renamed into place.</summary>
static class CacheFolder
{
    /// <summary>
    /// Creates <paramref name="final"/>: <paramref name="fill"/> gets a fresh work folder next to it and returns the
    /// folder inside it to publish, which replaces an incomplete <paramref name="final"/> by rename. When another process
    /// published first (<paramref name="isComplete"/> true after a failed rename), its copy is kept. The work folder is
    /// removed in every case.
    /// </summary>
    public static void Build(string final, Func<bool> isComplete, Func<string, string> fill)
    {
        string parent = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(parent);
        string work = Path.Combine(parent, ".tmp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            string staged = fill(work);
            try
            {
                if (Directory.Exists(final)) Directory.Delete(final, recursive: true); // incomplete: a complete one was returned before
                Directory.Move(staged, final);
            }
            catch (IOException) when (isComplete())
            {
                // Another process finished the same download first; its copy is complete.
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
