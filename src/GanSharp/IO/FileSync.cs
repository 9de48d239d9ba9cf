using System.Runtime.InteropServices;

namespace GanSharp.IO;

/// <summary>
/// Durability helpers: flushing a directory entry to disk after a rename. .NET flushes file contents
/// (<see cref="FileStream.Flush(bool)"/>) but has no API to fsync a directory, which POSIX needs for a rename to
/// survive a power loss. Best effort: where the call is unavailable (Windows, an exotic libc) it does nothing.
/// </summary>
public static class FileSync
{
    /// <summary>Flushes the directory <paramref name="directory"/> itself (its entries) to disk, where the OS allows it.</summary>
    public static void Directory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            int fd = Native.open(directory, 0 /* O_RDONLY */);
            if (fd < 0) return;
            try { Native.fsync(fd); }
            finally { Native.close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            // No libc entry points here: the rename is still atomic, only not forced to disk yet.
        }
    }

    /// <summary>Flushes the folder that contains <paramref name="path"/>.</summary>
    public static void ParentOf(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(parent)) Directory(parent);
    }

    static class Native
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);
    }
}
