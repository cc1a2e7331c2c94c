using System.Text.RegularExpressions;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Layout;

/// <summary>
/// The client is the only owner of Defender wire facts: no Defender or Graph path and no app-role string is written in
/// the server's source. The same patterns must find them in the client's source, so a pattern that matches nothing
/// cannot pass for a check.
/// </summary>
public sealed partial class WireOwnershipTests
{
    [GeneratedRegex("\"[^\"\\n]*(/api/|api/(machines|machineactions|indicators|files|ips|domains|users|libraryfiles|vulnerabilities|Software|exposureScore)|security/(incidents|alerts_v2|runHuntingQuery|rules|tiIndicators)|/v1\\.0/|/beta/)", RegexOptions.IgnoreCase)]
    private static partial Regex DefenderPath();

    [GeneratedRegex("\"(Machine|Alert|Ti|SecurityIncident|SecurityAlert|ThreatHunting|CustomDetection|Vulnerability|Software|Score|SecurityRecommendation|File|Ip|Url|User|Library|IdentityRiskyUser|AdvancedQuery)\\.(Read|ReadWrite|Isolate|Scan|Offboard|RestrictExecution|StopAndQuarantine|CollectForensics|LiveResponse|Write|RevokeSessions|EnableDisableAccount)[A-Za-z.]*\"")]
    private static partial Regex AppRole();

    private static string Root() => RepositoryRoot.Folder;

    private static List<string> Hits(string project, Regex pattern) =>
        [.. Directory.GetFiles(Path.Combine(Root(), "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => pattern.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Root(), x.f)}:{x.i + 1}: {x.line.Trim()}")];

    [Fact]
    public void The_server_writes_no_defender_or_graph_path()
    {
        Assert.NotEmpty(Hits("DefenderMcp.Client", DefenderPath()));
        Assert.Empty(Hits("DefenderMcp", DefenderPath()));
    }

    [Fact]
    public void The_server_writes_no_app_role_string()
    {
        Assert.NotEmpty(Hits("DefenderMcp.Client", AppRole()));
        Assert.Empty(Hits("DefenderMcp", AppRole()));
    }
}
