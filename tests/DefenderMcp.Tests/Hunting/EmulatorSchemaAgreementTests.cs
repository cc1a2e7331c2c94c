using DefenderMcp.Client;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Kql.Schema;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

// Every table the emulator serves reports, in its runHuntingQuery schema, the columns and API types our schema data
// documents: get_hunting_schema with a tenant in demo mode shows no difference. Before, the emulator typed the guid
// columns (AIAgentsInfo.AIAgentId, DataSecurityEvents.AadDeviceId ...) String, and the tool showed "Guid → String".
public sealed class EmulatorSchemaAgreementTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Every_served_table_matches_the_documented_columns_and_types()
    {
        // One zero-row hunt per table is more than the client's own 45/min hunting quota: off for this test.
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [.. s.Tenants.Select(t => t with { Connection = t.Connection with { RateLimits = DefenderRateLimits.None } })] });
        var differences = new List<string>();

        foreach (var table in HuntingColumns.ByTable.Keys.Order(StringComparer.Ordinal))
        {
            var live = (await server.CallOkAsync("get_hunting_schema", new() { ["table"] = table, ["tenant"] = "contoso" })).GetProperty("live");
            foreach (var kind in (string[])["missing_in_tenant", "extra_in_tenant", "type_mismatches"])
            {
                differences.AddRange(live.GetProperty(kind).EnumerateArray().Select(d => $"{table} {kind}: {d.GetString()}"));
            }
        }

        Assert.Equal(HuntingSchemaCatalog.Tables.Select(t => t.Name), HuntingColumns.ByTable.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(differences);
    }
}
