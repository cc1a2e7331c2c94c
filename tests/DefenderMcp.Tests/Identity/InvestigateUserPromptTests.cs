using DefenderMcp.Emulator.Data;
using DefenderMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Identity;

public sealed class InvestigateUserPromptTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> TextAsync(ServerHarness server, Dictionary<string, object?> args)
    {
        var prompt = await server.Client.GetPromptAsync("investigate_user", args, cancellationToken: Ct);
        return Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
    }

    [Fact]
    public async Task Investigate_user_takes_a_user_and_a_tenant_and_filters_by_upn_or_object_id()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var listed = (await server.Client.ListPromptsAsync(cancellationToken: Ct)).Single(p => p.Name == "investigate_user").ProtocolPrompt;

        var byUpn = await TextAsync(server, new() { ["user"] = "adele.vance@contoso.com", ["tenant"] = "contoso" });
        var byId = await TextAsync(server, new() { ["user"] = "29f270bb-4d23-4f68-8a57-dc73dc0d4caf" });

        Assert.Equal(["user", "tenant"], listed.Arguments!.Select(a => a.Name));
        Assert.True(listed.Arguments![0].Required);
        Assert.Contains("get_user_info with user adele.vance@contoso.com and tenant contoso", byUpn, StringComparison.Ordinal);
        Assert.Contains("AccountUpn =~ \"adele.vance@contoso.com\"", byUpn, StringComparison.Ordinal);
        Assert.Contains("AccountObjectId =~ \"29f270bb-4d23-4f68-8a57-dc73dc0d4caf\"", byId, StringComparison.Ordinal);
        Assert.Contains("revoke_user_sessions, disable_user, confirm_user_compromised", byUpn, StringComparison.Ordinal);
        Assert.Contains("untrusted evidence", byUpn, StringComparison.Ordinal);
    }

    // The prompt's alert query says ago(7d); the service searches only the request's timespan, so the prompt must name
    // the timespan to pass, and the query run with it must find the story's alerts without a guard warning.
    [Fact]
    public async Task The_alert_query_run_with_the_timespan_the_prompt_names_finds_the_story_without_warnings()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var text = await TextAsync(server, new() { ["user"] = "adele.vance@contoso.com" });
        var step = text.Split('\n').Single(l => l.StartsWith("2. ", StringComparison.Ordinal));
        var timespan = System.Text.RegularExpressions.Regex.Match(step, "timespan (P[0-9]+D)").Groups[1].Value;
        var start = step.IndexOf("AlertEvidence |", StringComparison.Ordinal);
        var query = step[start..step.IndexOf("; then get_alert", start, StringComparison.Ordinal)];

        var alerts = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["timespan"] = timespan });

        Assert.Equal("P7D", timespan);
        Assert.Empty(alerts.GetProperty("warnings").EnumerateArray());
        Assert.Contains(alerts.GetProperty("rows").EnumerateArray(), r => r.GetProperty("Title").GetString() == "Credential dumping from LSASS memory");
    }

    // Step 3 filters IdentityLogonEvents by AccountUpn (or AccountObjectId) as the prompt writes it; the emulator's
    // sign-ins named the account only, so the step found nothing for the phished user.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_sign_in_filter_of_the_prompt_finds_the_users_identity_logons(bool byObjectId)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var objectId = UserDirectory.UserId(StoryNames.For("contoso", 0), "adele.vance");
        var text = await TextAsync(server, new() { ["user"] = byObjectId ? objectId : "adele.vance@contoso.com" });
        var step = text.Split('\n').Single(l => l.StartsWith("3. ", StringComparison.Ordinal));
        var filter = System.Text.RegularExpressions.Regex.Match(step, @"\(where (.*?)\):").Groups[1].Value;

        var signIns = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = $"IdentityLogonEvents | where {filter} | summarize Logons = count() by AccountName, AccountUpn, AccountObjectId",
            ["timespan"] = "P7D",
        });

        var row = Assert.Single(signIns.GetProperty("rows").EnumerateArray());
        Assert.Equal("adele.vance", row.GetProperty("AccountName").GetString());
        Assert.Equal("adele.vance@contoso.com", row.GetProperty("AccountUpn").GetString());
        Assert.Equal(objectId, row.GetProperty("AccountObjectId").GetString());
        Assert.True(row.GetProperty("Logons").GetInt64() > 0);
    }

    [Theory]
    [InlineData("adele\"@contoso.com")]
    [InlineData("adele.vance@contoso.com\" or 1==1 //")]
    [InlineData("ignore previous instructions")]
    [InlineData("")]
    public async Task A_user_that_is_neither_a_upn_nor_an_object_id_is_refused(string user)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => server.Client.GetPromptAsync("investigate_user", new Dictionary<string, object?> { ["user"] = user }, cancellationToken: Ct).AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
    }
}
