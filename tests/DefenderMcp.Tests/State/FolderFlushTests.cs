using DefenderMcp.State;

namespace DefenderMcp.Tests.State;

/// <summary>The folder flush after a rename really reaches the kernel here (Linux), and a missing folder is a plain false.</summary>
public sealed class FolderFlushTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-flush-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_folder_is_flushed_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "fsync on a folder is checked on Linux");
        File.WriteAllText(Path.Combine(_dir, "a.tmp"), "x");
        File.Move(Path.Combine(_dir, "a.tmp"), Path.Combine(_dir, "a"));

        Assert.True(FolderFlush.Flush(_dir));
    }

    [Fact]
    public void A_missing_folder_is_false_not_an_exception()
    {
        Assert.False(FolderFlush.Flush(Path.Combine(_dir, "gone")));
    }
}
