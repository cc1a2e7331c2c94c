namespace DefenderMcp.E2E;

/// <summary>
/// The built program copied where the unprivileged user <c>nobody</c> can run it. A test that runs the program as
/// nobody (root reads every file, so a file only root can read needs another user) cannot use the build folder: it
/// usually sits under a folder only its owner can enter (CI clones into <c>mktemp -d</c>, mode 0700).
/// </summary>
public sealed class ProgramCopyForNobody : IDisposable
{
    private readonly string _root = Path.Combine("/tmp", "defender-mcp-program-" + Guid.NewGuid().ToString("N"));

    public ProgramCopyForNobody()
    {
        Folder = Path.Combine(_root, "app");
        Home = Path.Combine(_root, "home");
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        // nobody's home for the dotnet host, which wants one.
        File.SetUnixFileMode(Home, (UnixFileMode)0b111_111_111);
        Copy(new DirectoryInfo(AppContext.BaseDirectory), Folder);
    }

    /// <summary>The copy's folder (0755, files readable by all).</summary>
    public string Folder { get; }

    /// <summary>A home folder nobody may write (DOTNET_CLI_HOME, HOME).</summary>
    public string Home { get; }

    /// <summary>DefenderMcp.dll in the copy.</summary>
    public string DllPath => Path.Combine(Folder, "DefenderMcp.dll");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Directory.CreateDirectory(to);
        File.SetUnixFileMode(to, (UnixFileMode)0b111_101_101);
        foreach (var file in from.EnumerateFiles())
        {
            var target = Path.Combine(to, file.Name);
            file.CopyTo(target);
            File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
        }

        foreach (var folder in from.EnumerateDirectories())
        {
            Copy(folder, Path.Combine(to, folder.Name));
        }
    }
}
