using GanSharp.IO;

namespace GanSharp.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void WritesAndReplacesContent()
    {
        using var dir = new ScratchFolder("atomic");
        string file = dir.Combine("sub", "a.txt");
        AtomicFile.WriteAllText(file, "one");
        Assert.Equal("one", File.ReadAllText(file));
        AtomicFile.WriteAllBytes(file, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(file));
        AtomicFile.Write(file, s => s.WriteByte(9));
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(file));
        Assert.Single(Directory.GetFiles(dir.Combine("sub")));
    }

    [Fact]
    public void ExceptionInsideTheCallbackKeepsTheOldContentAndLeavesNoTempFile()
    {
        using var dir = new ScratchFolder("atomic");
        string file = dir.Combine("config.json");
        AtomicFile.WriteAllText(file, "old");
        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(file, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", e.Message);
        Assert.Equal("old", File.ReadAllText(file));
        Assert.Equal(new[] { file }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void FailedFirstWriteLeavesNothing()
    {
        using var dir = new ScratchFolder("atomic");
        string file = dir.Combine("new.bin");
        var e = Assert.Throws<GanSharpException>(() => AtomicFile.Write(file, _ => throw new IOException("disk full")));
        Assert.Contains(file, e.Message);
        Assert.IsType<IOException>(e.InnerException);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void TempNamesAreRecognisable()
    {
        string temp = AtomicFile.TempPathFor("/x/y/latest");
        Assert.Equal("/x/y", Path.GetDirectoryName(temp));
        Assert.True(AtomicFile.IsTempName(Path.GetFileName(temp)));
        Assert.False(AtomicFile.IsTempName("latest"));
    }
}

public class FileSyncTests
{
    [Fact]
    public void DirectoryFlushIsBestEffortAndNeverThrows()
    {
        using var dir = new ScratchFolder("sync");
        FileSync.Directory(dir.Path);
        FileSync.Directory(dir.Combine("absent"));
        FileSync.ParentOf(dir.Combine("file.txt"));
    }
}
