using System.Runtime.InteropServices;

namespace DefenderMcp.State;

/// <summary>
/// Flushes a folder's entries to disk (<c>fsync</c> on the folder itself), so that a file renamed into it a moment ago
/// is still there after a power cut, not only after a crash of this process. .NET has no API for it: a folder cannot be
/// opened as a file stream, hence the two libc calls. Best effort by design: the rename is atomic either way, so where
/// the call is missing (Windows) or fails, the write stands and only the power-cut guarantee is lost.
/// </summary>
public static class FolderFlush
{
    private const int ReadOnly = 0;
    private const int LinuxCloseOnExec = 0x80000;
    private const int MacCloseOnExec = 0x1000000;

    /// <summary>True when the folder's entries were flushed; false where that cannot be done here.</summary>
    public static bool Flush(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        try
        {
            // Close-on-exec: a process started by another thread in the meantime must not inherit the descriptor.
            var descriptor = Open(folder, ReadOnly | (OperatingSystem.IsLinux() ? LinuxCloseOnExec : MacCloseOnExec));
            if (descriptor < 0)
            {
                return false;
            }

            try
            {
                return Sync(descriptor) == 0;
            }
            finally
            {
                _ = Close(descriptor);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code allowed in the whole project.
    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Sync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
