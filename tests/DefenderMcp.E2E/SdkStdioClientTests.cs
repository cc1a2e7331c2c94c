using System.Text.Json;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E;

/// <summary>The SDK's McpClient over StdioClientTransport against the built server in demo mode.</summary>
public sealed class SdkStdioClientTests
{
    [Fact]
    public async Task A_client_can_hunt_list_high_alerts_and_open_an_incident()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ServerProcess.DllPath, "--demo"],
            Name = "defender-mcp-demo",
        });
        // Pin the handshake: under heavy load the SDK's probe for the newest protocol can time out and fall back
        // after the server has already chosen it, which fails the session before any tool runs.
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-06-18" }, cancellationToken: ct);

        foreach (var tenant in new object[] { "contoso", "fabrikam" })
        {
            var hunt = await client.CallToolAsync("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 5", ["tenant"] = tenant }, cancellationToken: ct);
            Assert.NotEqual(true, hunt.IsError);
            Assert.Equal(tenant, hunt.StructuredContent!.Value.GetProperty("tenant").GetString());
            Assert.True(hunt.StructuredContent.Value.GetProperty("returned_rows").GetInt32() > 0);
        }

        var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["severity"] = "High" }, cancellationToken: ct);
        Assert.NotEqual(true, alerts.IsError);
        var alertList = alerts.StructuredContent!.Value.GetProperty("alerts").EnumerateArray().ToList();
        Assert.NotEmpty(alertList);
        var incidentId = alertList.Select(a => a.GetProperty("incident_id").GetString()).First(i => i is not null);

        var incident = await client.CallToolAsync("get_incident", new Dictionary<string, object?> { ["incident_id"] = incidentId }, cancellationToken: ct);
        Assert.NotEqual(true, incident.IsError);
        Assert.NotEmpty(incident.StructuredContent!.Value.GetProperty("alerts").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, incident.StructuredContent.Value.GetProperty("impacted_entities").ValueKind);
    }
}
