using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Audit;

/// <summary>
/// A confirmed write leaves an <c>action_intent</c> line (tool, tenant, targets, confirmation and its id) in the audit
/// file before its request is sent, so a server that dies between the send and the result still leaves the attempt;
/// the result line follows with the same confirmation id. Previews, dry runs and refusals send nothing and leave none.
/// </summary>
public sealed class ActionIntentAuditTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("defender-mcp-audit-intent-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Event(JsonElement line) => line.GetProperty("event").GetString()!;

    private static List<string> Notes(JsonElement line) =>
        line.TryGetProperty("notes", out var notes) ? [.. notes.EnumerateArray().Select(n => n.GetString()!)] : [];

    private static List<JsonElement> FileLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task A_token_confirmed_write_is_preceded_by_its_intent_and_the_preview_intent_and_result_share_the_tokens_id()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }, ActionTier.Respond, ConfirmationMode.Token);
        var args = new Dictionary<string, object?> { ["user"] = "adele.vance@contoso.com", ["tenant"] = "contoso" };

        await server.CallOkAsync("revoke_user_sessions", new(args) { ["dry_run"] = true });
        var preview = await server.CallOkAsync("revoke_user_sessions", args);
        Assert.DoesNotContain(FileLines(path), l => Event(l) == "action_intent");
        var token = preview.GetProperty("confirmation_token").GetString()!;
        args["confirmation_token"] = token;
        await server.CallOkAsync("revoke_user_sessions", args);

        var lines = FileLines(path);
        Assert.Equal(["tool_call", "tool_call", "action_intent", "tool_call"], lines.Select(Event));
        var id = "confirmation_id=" + token.Split('.')[2];
        var intent = lines[2];
        // The preview's line names the target the person was asked to approve, as the intent line does.
        Assert.Equal([id, Notes(intent).Single(n => n.StartsWith("target=", StringComparison.Ordinal))], Notes(lines[1]));
        Assert.Equal("revoke_user_sessions", intent.GetProperty("tool").GetString());
        Assert.Equal(["contoso"], intent.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("token", "allowed"), (intent.GetProperty("confirmation").GetString(), intent.GetProperty("policy_decision").GetString()));
        Assert.Equal(1, intent.GetProperty("counts").GetProperty("targets").GetInt64());
        Assert.Equal("adele.vance@contoso.com", intent.GetProperty("params").GetProperty("user").GetString());
        var notes = Notes(intent);
        Assert.Equal(id, notes[0]);
        Assert.Contains(notes, n => n.StartsWith("target=", StringComparison.Ordinal) && n.Contains("adele.vance", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(notes, n => n.StartsWith("request=POST /v1.0/users/", StringComparison.Ordinal) && n.EndsWith("/revokeSignInSessions", StringComparison.Ordinal));
        Assert.DoesNotContain(token, intent.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("success", id), (lines[3].GetProperty("outcome").GetString(), Assert.Single(Notes(lines[3]))));
        Assert.Equal(0, AuditTrailText.Verify(path));
    }

    [Fact]
    public async Task The_intent_is_in_the_file_while_the_request_is_still_on_its_way()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { AuditFilePath = path }, ActionTier.Respond, ConfirmationMode.None);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 4000, Count = 1, PathPattern = "revokeSignInSessions" }, Ct);
        try
        {
            var call = server.CallOkAsync("revoke_user_sessions", new() { ["user"] = "megan.bowen@contoso.com", ["tenant"] = "contoso" });
            List<JsonElement> during = [];
            for (var i = 0; i < 60 && !during.Any(l => Event(l) == "action_intent"); i++)
            {
                await Task.Delay(50, Ct);
                during = FileLines(path);
            }

            await call;
            var after = FileLines(path);

            var intent = Assert.Single(during, l => Event(l) == "action_intent");
            Assert.DoesNotContain(during, l => Event(l) == "tool_call");
            Assert.Equal("none", intent.GetProperty("confirmation").GetString());
            var id = Notes(intent)[0];
            Assert.Matches("^confirmation_id=[0-9a-f]{16}$", id);
            Assert.Equal(["action_intent", "tool_call"], after.Select(Event));
            Assert.Equal([id], Notes(after[1]));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_bulk_write_names_every_target_once_and_a_refused_write_has_no_intent()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var listed = await server.CallOkAsync("list_devices", new() { ["name_prefix"] = "ctso-eng-ws", ["limit"] = 2, ["tenant"] = "contoso" });
        var devices = listed.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(2, devices.Length);

        await server.CallOkAsync("run_antivirus_scan", new() { ["devices"] = devices, ["comment"] = "intent bulk", ["tenant"] = "contoso" });
        var (code, _) = await server.CallErrorAsync("run_antivirus_scan", new() { ["devices"] = devices, ["comment"] = "intent bulk", ["tenant"] = "contoso", ["scan_type"] = "Sideways" });

        Assert.Equal("invalid_input", code);
        var lines = server.AuditLines().Where(l => Event(l) != "tool_call" || l.GetProperty("tool").GetString() != "list_devices").ToList();
        var intent = Assert.Single(lines, l => Event(l) == "action_intent");
        Assert.Equal(2, intent.GetProperty("counts").GetProperty("targets").GetInt64());
        var targets = Notes(intent).Where(n => n.StartsWith("target=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, targets.Count);
        Assert.All(devices, d => Assert.Single(targets, t => t.Contains(d, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(Notes(intent), n => n.EndsWith("(one per target)", StringComparison.Ordinal));
        Assert.Equal(["action_intent", "tool_call", "tool_call"], lines.Select(Event));
    }
}
