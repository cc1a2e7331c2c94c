using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

// A write given tenant: ["contoso"] used to be refused with "acts on one tenant at a time", though a list of one names
// one tenant. It is now taken exactly as tenant: "contoso": the same key check, the same result and audit line. A
// list of two or more, and "*", stay refused, and the refusal says what to pass instead.
public sealed class OneTenantListTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    // 7101 is fabrikam's incident (4301 is contoso's, the default tenant's): the call reaches the tenant it names.
    private static Dictionary<string, object?> Comment(object tenant) =>
        new() { ["incident_id"] = "7101", ["comment"] = "IR-12 triage note", ["dry_run"] = true, ["tenant"] = tenant };

    [Fact]
    public async Task A_write_given_a_list_of_one_tenant_acts_on_it_as_if_given_the_key()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var asKey = await server.CallOkAsync("add_incident_comment", Comment("fabrikam"));
        var keyAudit = server.AuditLines().Last();
        var asList = await server.CallOkAsync("add_incident_comment", Comment(new[] { "fabrikam" }));
        var listAudit = server.AuditLines().Last();

        Assert.Equal("fabrikam", asList.GetProperty("tenant").GetString());
        Assert.Equal(asKey.GetRawText(), asList.GetRawText());
        Assert.Equal(("dry_run", "fabrikam"), (listAudit.GetProperty("outcome").GetString(), Assert.Single(listAudit.GetProperty("tenants").EnumerateArray()).GetString()));
        Assert.Equal(JsonValueKind.String, listAudit.GetProperty("params").GetProperty("tenant").ValueKind);
        Assert.Equal(keyAudit.GetProperty("params").GetRawText(), listAudit.GetProperty("params").GetRawText());
    }

    [Fact]
    public async Task A_list_of_one_unknown_tenant_is_refused_like_the_key_without_echoing_it()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var (keyCode, keyMessage) = await server.CallErrorAsync("add_incident_comment", Comment("c0ntoso-secret"));
        var (listCode, listMessage) = await server.CallErrorAsync("add_incident_comment", Comment(new[] { "c0ntoso-secret" }));

        Assert.Equal((keyCode, keyMessage), (listCode, listMessage));
        Assert.StartsWith("Unknown tenant.", listMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("c0ntoso-secret", listMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_given_two_tenants_or_every_tenant_is_refused_with_what_to_pass_instead()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var (twoCode, two) = await server.CallErrorAsync("add_incident_comment", Comment(new[] { "contoso", "fabrikam" }));
        var (allCode, all) = await server.CallErrorAsync("add_incident_comment", Comment("*"));
        var (listedAllCode, listedAll) = await server.CallErrorAsync("add_incident_comment", Comment(new[] { "*" }));

        Assert.Equal(("invalid_input", "invalid_input", "invalid_input"), (twoCode, allCode, listedAllCode));
        Assert.Equal(
            "This tool acts on one tenant at a time, and a list of 2 keys names 2 tenants: pass one tenant key (\"contoso\", or a list of exactly one, [\"contoso\"]), and call it once per tenant for several. Nothing was sent.",
            two);
        Assert.StartsWith("This tool acts on one tenant at a time, and \"*\" names every tenant: pass one tenant key", all, StringComparison.Ordinal);
        Assert.Equal(all, listedAll);
        Assert.DoesNotContain(server.AuditLines(), l => l.GetProperty("outcome").GetString() == "dry_run");
    }
}
