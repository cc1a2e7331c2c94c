using System.Text.Json;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Golden;

/// <summary>
/// The results of mcp-defender-xdr's tools key by key against what its README shows, so its users switch without
/// changing a prompt or script: the hunting result's <c>schema</c> [{Name, Type}], <c>rows</c> keyed by column and
/// <c>metadata</c> {row_count, column_count, timespan}; the fan-out envelope {fan_out, tenants, results [{tenant,
/// result | error {code, message}}]}; get_incident's severity, status, classification, alerts and impacted entities.
/// We add keys of our own; none of the seed's is missing or renamed.
/// </summary>
public sealed class SeedShapeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string SeedQuery = "DeviceProcessEvents | where FileName == 'powershell.exe' | take 5";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name);

    private static void AssertSeedHuntingResult(JsonElement result, string timespan)
    {
        Assert.Superset(new HashSet<string> { "schema", "rows", "metadata" }, Keys(result).ToHashSet());
        var schema = result.GetProperty("schema").EnumerateArray().ToList();
        Assert.NotEmpty(schema);
        Assert.All(schema, column => Assert.Equal(["Name", "Type"], Keys(column)));
        var names = schema.Select(c => c.GetProperty("Name").GetString()!).ToList();
        Assert.Contains("FileName", names);
        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(names, Keys(row)));
        var metadata = result.GetProperty("metadata");
        Assert.Equal(["row_count", "column_count", "timespan"], Keys(metadata));
        Assert.Equal(schema.Count, metadata.GetProperty("column_count").GetInt32());
        Assert.Equal(rows.Count, metadata.GetProperty("row_count").GetInt32());
        Assert.Equal(timespan, metadata.GetProperty("timespan").GetString());
    }

    [Fact]
    public async Task A_single_tenant_hunt_has_the_seeds_schema_rows_and_metadata()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = SeedQuery, ["timespan"] = "P1D", ["tenant"] = "contoso" });

        AssertSeedHuntingResult(result, "P1D");
    }

    [Fact]
    public async Task A_fan_out_has_the_seeds_envelope_with_a_result_or_an_error_per_tenant()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 3600, Count = 0, Tenant = "fabrikam", PathPattern = "runHuntingQuery" }, Ct);
        JsonElement envelope;
        try
        {
            envelope = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = SeedQuery, ["timespan"] = "P1D", ["tenant"] = "*" });
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        Assert.Equal(["fan_out", "tenants", "results"], Keys(envelope).Take(3));
        Assert.True(envelope.GetProperty("fan_out").GetBoolean());
        Assert.Equal(["contoso", "fabrikam"], envelope.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        var results = envelope.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["tenant", "result"], Keys(results[0]));
        AssertSeedHuntingResult(results[0].GetProperty("result"), "P1D");
        Assert.Equal(["tenant", "error"], Keys(results[1]));
        var error = results[1].GetProperty("error");
        Assert.Superset(new HashSet<string> { "code", "message" }, Keys(error).ToHashSet());
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_incident_has_severity_status_classification_alerts_and_impacted_entities()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_incident", new() { ["incident_id"] = "4301", ["tenant"] = "contoso" });

        var incident = result.GetProperty("incident");
        foreach (var key in new[] { "severity", "status", "classification" })
        {
            Assert.True(incident.TryGetProperty(key, out _), key);
        }

        Assert.NotEmpty(result.GetProperty("alerts").EnumerateArray());
        Assert.NotEmpty(result.GetProperty("impacted_entities").EnumerateArray());
    }

    [Fact]
    public async Task List_alerts_takes_the_seeds_arguments_and_value_sets()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("list_alerts", new() { ["severity"] = "High", ["status"] = "New", ["limit"] = 25, ["tenant"] = "*" });

        Assert.True(result.GetProperty("fan_out").GetBoolean());
        Assert.All(result.GetProperty("results").EnumerateArray(), e => Assert.True(e.GetProperty("result").GetProperty("alerts").GetArrayLength() <= 25));
        Assert.Equal("invalid_input", (await server.CallErrorAsync("list_alerts", new() { ["limit"] = 101 })).Code);
    }
}
