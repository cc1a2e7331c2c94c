namespace DefenderMcp.E2E.Packaging;

/// <summary>Paths in the source tree the tests run from (found by walking up to DefenderMcp.slnx).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string ServerProject => Path.Combine(Root, "src", "DefenderMcp", "DefenderMcp.csproj");

    public static string ServerJson => Path.Combine(Root, "src", "DefenderMcp", ".mcp", "server.json");

    public static string RegistrySchema => Path.Combine(AppContext.BaseDirectory, "Schemas", "mcp-server.schema.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DefenderMcp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DefenderMcp.slnx not found above " + AppContext.BaseDirectory);
    }
}
