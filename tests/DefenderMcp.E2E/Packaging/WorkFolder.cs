namespace DefenderMcp.E2E.Packaging;

/// <summary>A packaging test's own temporary folder (feeds, artifacts, installed or published servers), removed afterwards.</summary>
public sealed class WorkFolder(string prefix) : IDisposable
{
    /// <summary>The folder's full path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Removes the folder; one still held by a closing server process is left to the OS's temp cleaning.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server process still closing: the temp folder is cleaned by the OS later.
        }
    }
}
