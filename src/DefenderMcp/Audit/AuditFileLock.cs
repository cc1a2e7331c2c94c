using System.Diagnostics;

namespace DefenderMcp.Audit;

/// <summary>
/// The lock that lets several processes append to one audit file: a server and <c>defender-mcp call</c>, or two clients
/// that start the server alike. Each line is written while holding a range lock on <c>FILE.lock</c> beside the file
/// (a file of its own, since rotation renames the audit file and its head), so one process's line is never written
/// over another's and the chain goes on from the line really last in the file.
/// </summary>
internal sealed class AuditFileLock : IDisposable
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(5);
    private readonly FileStream _stream;
    private bool _gaveUp;

    private AuditFileLock(FileStream stream) => _stream = stream;

    /// <summary>The lock file's path beside <paramref name="auditPath"/>.</summary>
    public static string PathFor(string auditPath) => auditPath + ".lock";

    /// <summary>
    /// Opens (or creates, mode 0600) the lock beside <paramref name="auditPath"/>; null where it cannot be (a folder this
    /// user may not create files in, or a platform without range locks), and the file is then written as before, by
    /// this process alone.
    /// </summary>
    public static AuditFileLock? TryOpen(string auditPath)
    {
        if (OperatingSystem.IsMacOS())
        {
            return null;
        }

        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(PathFor(auditPath), options);
            try
            {
                // A file system without range locks answers here, not at the first line. A lock held by another
                // process (EAGAIN, EACCES) shows that they work: this one must then take part too.
                stream.Lock(0, 1);
                stream.Unlock(0, 1);
            }
            catch (PlatformNotSupportedException)
            {
                stream.Dispose();
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Held by another writer now.
            }

            return new AuditFileLock(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes the lock, waiting at most 5 s for another process's line; false when it was not taken (the line is still
    /// written: losing it would be worse than a line that may interleave with a process stuck holding the lock). After
    /// one such wait it is not tried again (a file system that refuses every lock must not cost 5 s a line).
    /// </summary>
    public bool Enter()
    {
        if (OperatingSystem.IsMacOS() || _gaveUp)
        {
            return false;
        }

        var waited = Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            try
            {
                _stream.Lock(0, 1);
                return true;
            }
            // Held by another process: Linux answers EAGAIN or EACCES, which .NET raises as an IOException or an
            // UnauthorizedAccessException.
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && waited.Elapsed < LongestWait)
            {
                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 20);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _gaveUp = true;
                return false;
            }
        }
    }

    /// <summary>Releases the lock taken by <see cref="Enter"/>.</summary>
    public void Exit()
    {
        if (OperatingSystem.IsMacOS())
        {
            return;
        }

        try
        {
            _stream.Unlock(0, 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Closing the handle (at the latest when the process ends) releases it as well.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
