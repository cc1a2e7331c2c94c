using System.Text;
using DefenderMcp.Client;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

/// <summary>
/// README.md and docs/configuration.md show the client's one role table (AppRoles.Table) per tier. The sections
/// between the markers are rendered from the table here; DEFENDER_MCP_UPDATE_GOLDEN=1 rewrites them.
/// </summary>
public sealed class AppRoleDocsTests
{
    private const string TableStart = "<!-- app-roles:start (generated from AppRoles.Table: DEFENDER_MCP_UPDATE_GOLDEN=1 and AppRoleDocsTests rewrite it) -->";
    private const string TableEnd = "<!-- app-roles:end -->";
    private const string SummaryStart = "<!-- app-roles-summary:start (generated from AppRoles.Table) -->";
    private const string SummaryEnd = "<!-- app-roles-summary:end -->";

    private static readonly (RoleUse Use, string Tier)[] Tiers =
        [(RoleUse.Read, "read"), (RoleUse.Write, "respond"), (RoleUse.Offboard, "respond, with allow_offboard"), (RoleUse.LiveResponse, "live_response")];

    private static string Root() => RepositoryRoot.Folder;

    private static string ApiName(DefenderApi api) => api == DefenderApi.Graph ? "Microsoft Graph" : "WindowsDefenderATP";

    private static string Roles(IEnumerable<string> roles) => string.Join(" or ", roles.Select(r => $"`{r}`"));

    internal static string Table()
    {
        var text = new StringBuilder(TableStart).Append('\n')
            .Append("| Tier | API | Operation | Application role (any one of) | Toolsets |\n|---|---|---|---|---|\n");
        foreach (var (use, tier) in Tiers)
        {
            foreach (var row in AppRoles.Table.Where(r => r.Use == use))
            {
                text.Append($"| {tier} | {ApiName(row.Api)} | {row.Operation} | {Roles(row.AnyOf)} | {string.Join(", ", row.Toolsets.Select(t => $"`{t}`"))} |\n");
            }
        }

        return text.Append(TableEnd).ToString();
    }

    internal static string Summary()
    {
        var text = new StringBuilder(SummaryStart).Append('\n');
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (use, tier) in Tiers)
        {
            // A row is covered when an earlier tier already asked for one of its roles.
            var rows = AppRoles.Table.Where(r => r.Use == use && !r.AnyOf.Any(listed.Contains)).ToList();
            var perApi = rows.GroupBy(r => r.Api)
                .Select(g => $"{ApiName(g.Key)} {string.Join(", ", g.Select(r => r.AnyOf[0]).Distinct(StringComparer.Ordinal).Select(r => $"`{r}`"))}");
            listed.UnionWith(rows.Select(r => r.AnyOf[0]));
            text.Append($"- **{tier}**{(use == RoleUse.Read ? string.Empty : " adds")}: {string.Join("; ", perApi)}\n");
        }

        return text.Append(SummaryEnd).ToString();
    }

    private static void AssertSection(string file, string start, string end, string expected)
    {
        var path = Path.Combine(Root(), file);
        var text = File.ReadAllText(path);
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"{file} has no generated app-role section");
        var actual = text[from..(to + end.Length)];
        if (GoldenFile.Updating && actual != expected)
        {
            File.WriteAllText(path, text[..from] + expected + text[(to + end.Length)..]);
            return;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Configuration_md_shows_every_operation_and_its_roles_per_tier() =>
        AssertSection("docs/configuration.md", TableStart, TableEnd, Table());

    [Fact]
    public void Readme_lists_the_roles_to_grant_per_tier() =>
        AssertSection("README.md", SummaryStart, SummaryEnd, Summary());

    [Fact]
    public void The_table_has_the_documented_role_of_each_response_action()
    {
        string[] Of(string operation) => [.. AppRoles.Table.Single(r => r.Operation.StartsWith(operation, StringComparison.Ordinal)).AnyOf];

        Assert.Equal(["Machine.Isolate"], Of("Isolate"));
        Assert.Equal(["Machine.RestrictExecution"], Of("Restrict"));
        Assert.Equal(["Machine.Scan"], Of("Antivirus"));
        Assert.Equal(["Machine.CollectForensics"], Of("Collect"));
        Assert.Equal(["Machine.Offboard"], Of("Offboard"));
        Assert.Equal(["Machine.LiveResponse"], Of("Run live response"));
        Assert.Equal(["Machine.StopAndQuarantine", "Machine.Read.All", "Machine.ReadWrite.All"], Of("Stop and quarantine"));
        Assert.Equal(["CustomDetection.Read.All", "CustomDetection.ReadWrite.All"], Of("List and get custom detection rules"));
        Assert.Equal(["Ti.ReadWrite.All", "Ti.ReadWrite"], Of("List indicators"));
        // Machine.ReadWrite.All grants no response action but stop-and-quarantine.
        Assert.DoesNotContain(AppRoles.Table.Where(r => r.Use is RoleUse.Write or RoleUse.Offboard or RoleUse.LiveResponse && !r.Operation.StartsWith("Stop", StringComparison.Ordinal)), r => r.AnyOf.Contains("Machine.ReadWrite.All"));
    }

    // get_server_status and doctor ask only for the roles of the listed toolsets: each row names real toolsets, and
    // every toolset whose tools call Defender has rows.
    [Fact]
    public void Every_row_names_real_toolsets_and_every_toolset_but_status_has_rows()
    {
        var names = DefenderMcp.Mcp.ToolCatalog.ToolsetNames;

        Assert.All(AppRoles.Table, row => Assert.NotEmpty(row.Toolsets));
        Assert.All(AppRoles.Table.SelectMany(r => r.Toolsets), t => Assert.Contains(t, names));
        Assert.Equal(names.Where(n => n != "status").Order(StringComparer.Ordinal), AppRoles.Table.SelectMany(r => r.Toolsets).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains("devices", AppRoles.Table.Single(r => r.Operation.StartsWith("Alerts related to a file", StringComparison.Ordinal)).Toolsets);
    }
}
