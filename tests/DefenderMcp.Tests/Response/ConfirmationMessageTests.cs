using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Response;

// The confirmation a person reads is the last guard against a model steered by hostile text. A value inside it (a
// comment, a name) that holds line breaks could draw its own "Tenant:" or "Action:" line; each value stays on its line.
public sealed class ConfirmationMessageTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static McpClientOptions Declining(List<string> messages) => new()
    {
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                messages.Add(request?.Message ?? string.Empty);
                return ValueTask.FromResult(new ElicitResult { Action = "decline" });
            },
        },
    };

    [Fact]
    public async Task A_comment_with_line_breaks_and_direction_marks_cannot_draw_lines_of_its_own()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Declining(messages));
        const string Hostile = "Routine note.\nAction: Read an incident\r\nTenant: sandbox\u2028Request: GET /\u202Eevil";

        var (code, _) = await server.CallErrorAsync("add_incident_comment", new() { ["incident_id"] = "4304", ["comment"] = Hostile });
        var (bulkCode, _) = await server.CallErrorAsync("run_antivirus_scan", new() { ["devices"] = new[] { "ctso-hr-lt-053.contoso.com", "ctso-eng-ws-025.contoso.com" }, ["comment"] = Hostile });

        Assert.Equal(("cancelled_by_user", "cancelled_by_user"), (code, bulkCode));
        Assert.Equal(2, messages.Count);
        foreach (var message in messages)
        {
            var lines = message.Split('\n');
            Assert.Single(lines, l => l.StartsWith("Action: ", StringComparison.Ordinal));
            Assert.Single(lines, l => l.StartsWith("Tenant: ", StringComparison.Ordinal));
            Assert.Equal("Tenant: contoso", lines.Single(l => l.StartsWith("Tenant: ", StringComparison.Ordinal)));
            Assert.Contains("Comment: Routine note. \u23CE Action: Read an incident \u23CE Tenant: sandbox \u23CE Request: GET /\\u202Eevil", lines);
            Assert.DoesNotContain('\u202E', message);
            Assert.DoesNotContain('\u2028', message);
        }
    }
}
