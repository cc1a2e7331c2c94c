using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// Upstream ids as long as the client reads them (256 characters, the emulator's <c>long-ids</c> body) come out of
/// every output whole: an id clipped shorter cannot be passed back to a follow-up call.
/// </summary>
public sealed class LongUpstreamIdTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Tool, arguments, the request whose answer gets long ids, and the output members that carry them.
    public static TheoryData<string, string, string, string[]> Cases => new()
    {
        { "list_indicators", """{"limit":5}""", "^/api/indicators", ["id"] },
        { "get_device", """{"device":"ctso-fin-lt-011"}""", "^/api/machines/[^/?]+/alerts", ["id", "incident_id"] },
        { "get_ip_info", """{"ip":"185.220.101.47"}""", "^/api/ips/[^/?]+/alerts", ["id", "incident_id", "device_id"] },
        { "get_vulnerability", """{"cve":"CVE-2023-36884"}""", "^/api/vulnerabilities/[^/?]+/machineReferences", ["id"] },
        { "list_vulnerabilities", """{"limit":5}""", "^/api/vulnerabilities(\\?|$)", ["id"] },
        { "list_missing_updates", """{"device":"ctso-hr-lt-088.contoso.com"}""", "^/api/machines/[^/?]+/getmissingkbs", ["kb"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_id_of_256_characters_reaches_the_output_whole(string tool, string arguments, string path, string[] members)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        // An indicator, so list_indicators has an item to read (harmless to the other cases).
        await server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = $"long-ids-{tool.Replace('_', '-')}.example", ["action"] = "Block", ["title"] = "long ids", ["description"] = "long ids" });
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "long-ids", Count = 0, Tenant = "contoso", PathPattern = path }, Ct);
        try
        {
            var args = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments)!.ToDictionary(p => p.Key, p => (object?)p.Value);
            var output = await server.CallOkAsync(tool, args);

            var ids = LongIds(output, null).ToList();
            Assert.All(ids, id => Assert.Equal(ShapeRewriter.LongIdLength, id.Value.Length));
            Assert.All(members, member => Assert.Contains(ids, id => id.Member == member));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    // Every string the rewrite lengthened (its padding starts with "-xxxx"), clipped or not, with its member's name.
    private static IEnumerable<(string? Member, string Value)> LongIds(JsonElement element, string? member) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => LongIds(p.Value, p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => LongIds(e, member)),
        JsonValueKind.String when element.GetString()!.Contains("-xxxx", StringComparison.Ordinal) => [(member, element.GetString()!)],
        _ => [],
    };
}
