using System.Text.RegularExpressions;
using DefenderMcp.Hosting.Http;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Http;

/// <summary>
/// The nginx examples in docs/deployment.md are copied as they are: each one that forwards the MCP endpoint must also
/// forward the protected resource metadata a 401 sends Entra clients to, or those clients cannot find where to sign in.
/// </summary>
public sealed partial class ProxyExampleDocsTests
{
    [Fact]
    public void Every_nginx_example_that_forwards_mcp_also_forwards_the_resource_metadata()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "docs", "deployment.md"));
        var blocks = NginxBlock().Matches(page).Select(m => m.Groups[1].Value).Where(b => McpLocation().IsMatch(b)).ToList();

        Assert.True(blocks.Count >= 2, "the single-server and multi-replica nginx examples were not found");
        foreach (var block in blocks)
        {
            Assert.Contains("location " + EntraAuthentication.MetadataPath, MetadataLocation().Replace(block, "location "), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("```nginx\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();

    [GeneratedRegex("location (= )?/[a-z/]*mcp \\{")]
    private static partial Regex McpLocation();

    [GeneratedRegex("location = ")]
    private static partial Regex MetadataLocation();
}
