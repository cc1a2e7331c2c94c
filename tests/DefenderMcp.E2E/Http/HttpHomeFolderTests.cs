namespace DefenderMcp.E2E.Http;

/// <summary>
/// The HTTP server keeps nothing in HOME: ASP.NET Core's data protection, which authentication brings in, made a key
/// ring in ~/.aspnet/DataProtection-Keys at start (with a warning that it was stored unencrypted), though the server
/// never protects anything with it and deployment.md promises that HOME is never written.
/// </summary>
public sealed class HttpHomeFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("defender-mcp-home-").FullName;

    [Fact]
    public async Task The_http_server_writes_no_data_protection_key_ring_into_home()
    {
        var ct = TestContext.Current.CancellationToken;
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["XDG_CACHE_HOME"] = Path.Combine(_root, "cache"),
            ["XDG_DATA_HOME"] = Path.Combine(_root, "data"),
        };

        await using var server = await HttpServerHost.StartAsync(env, ct, "--demo", "--allow-anonymous-loopback");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var ready = await http.GetAsync(new Uri(server.BaseUrl, "/readyz"), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        Assert.Empty(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(server.Stderr, l => l.Contains("DataProtection", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The server process may still be closing; the temp folder is cleaned by the OS later.
        }
    }
}
