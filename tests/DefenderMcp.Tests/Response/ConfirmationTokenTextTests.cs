using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// A refused confirmation token says which of its cases applies: the analyst must know whether an earlier call with the
// same token may already have acted (spent), or only needs a new preview (expired, another call).
public sealed class ConfirmationTokenTextTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> CommentPostsAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal));

    [Fact]
    public async Task A_reused_token_says_it_was_used_and_another_calls_token_says_it_does_not_match()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.Token);
        var args = new Dictionary<string, object?> { ["incident_id"] = "4302", ["comment"] = "Contained." };
        var token = (await server.CallOkAsync("add_incident_comment", args)).GetProperty("confirmation_token").GetString();
        var before = await CommentPostsAsync();

        var altered = await server.CallErrorAsync("add_incident_comment", new() { ["incident_id"] = "4302", ["comment"] = "Other text.", ["confirmation_token"] = token });
        var garbled = await server.CallErrorAsync("add_incident_comment", new() { ["incident_id"] = "4302", ["comment"] = "Contained.", ["confirmation_token"] = token + "0" });
        args["confirmation_token"] = token;
        await server.CallOkAsync("add_incident_comment", args);
        var reused = await server.CallErrorAsync("add_incident_comment", args);

        Assert.Equal(before + 1, await CommentPostsAsync());
        Assert.All([altered, garbled, reused], e => Assert.Equal("confirmation_required", e.Code));
        Assert.StartsWith("The confirmation token does not match this call", altered.Message, StringComparison.Ordinal);
        Assert.StartsWith("The confirmation token does not match this call", garbled.Message, StringComparison.Ordinal);
        Assert.StartsWith("The confirmation token was already used by an earlier call", reused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was sent now", reused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AuditLines(), l => l.GetRawText().Contains(token!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_token_says_when_it_expired()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { ConfirmationTokenLifetime = TimeSpan.FromMilliseconds(200) }, ActionTier.Respond, ConfirmationMode.Token);
        var args = new Dictionary<string, object?> { ["incident_id"] = "4302", ["comment"] = "Late." };
        var preview = await server.CallOkAsync("add_incident_comment", args);
        var expiresAt = DateTimeOffset.Parse(preview.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        await Task.Delay(500, Ct);
        args["confirmation_token"] = preview.GetProperty("confirmation_token").GetString();
        var (code, message) = await server.CallErrorAsync("add_incident_comment", args);

        Assert.Equal("confirmation_required", code);
        Assert.Equal($"The confirmation token expired at {expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}; nothing was sent. Call again without confirmation_token for a new preview and show it to the user again.", message);
    }
}
