namespace DefenderMcp.Tests.State;

/// <summary>A fresh folder under the temp directory, deleted at dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "defender-mcp-state-" + Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    /// <summary>A state folder inside this one (not created: the store creates it).</summary>
    public string State => System.IO.Path.Combine(Path, "state");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
