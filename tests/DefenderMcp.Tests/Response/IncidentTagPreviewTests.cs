using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// Graph replaces an incident's whole tag list. A confirmation that shows only the new list lets an analyst who meant
// to add one tag drop the others unawares; it now names the tags the update removes.
public sealed class IncidentTagPreviewTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task An_update_that_replaces_the_tags_names_the_ones_it_removes()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var replacing = await server.CallOkAsync("update_incident", new() { ["incident_id"] = "4301", ["custom_tags"] = new[] { "IR-9" }, ["dry_run"] = true });
        var adding = await server.CallOkAsync("update_incident", new() { ["incident_id"] = "4301", ["custom_tags"] = new[] { "Phishing", "HumanOperated", "IR-9" }, ["dry_run"] = true });
        var status = await server.CallOkAsync("update_incident", new() { ["incident_id"] = "4301", ["status"] = "resolved", ["dry_run"] = true });

        Assert.Equal("Update incident (customTags=[\"IR-9\"]; removes the current tags \"Phishing\", \"HumanOperated\")", replacing.GetProperty("action").GetString());
        Assert.Equal("Update incident (customTags=[\"Phishing\",\"HumanOperated\",\"IR-9\"])", adding.GetProperty("action").GetString());
        Assert.Equal("Update incident (status=\"resolved\")", status.GetProperty("action").GetString());
    }
}
