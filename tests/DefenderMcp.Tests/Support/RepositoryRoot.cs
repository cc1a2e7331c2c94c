namespace DefenderMcp.Tests.Support;

/// <summary>The clone the tests run from (the folder holding DefenderMcp.slnx), for tests that read sources and docs.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DefenderMcp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DefenderMcp.slnx not found");
    });

    /// <summary>The repository's root folder.</summary>
    public static string Folder => Found.Value;
}
