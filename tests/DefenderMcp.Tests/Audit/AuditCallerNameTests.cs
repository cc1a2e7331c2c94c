using System.Security.Claims;
using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Hosting.Http;
using DefenderMcp.Tests.Hunting;

namespace DefenderMcp.Tests.Audit;

/// <summary>An Entra caller's upn and display name on the audit line: from the token's claims, clipped and cleaned.</summary>
public sealed class AuditCallerNameTests
{
    [Fact]
    public void Preferred_username_comes_before_upn_and_the_name_claim_is_the_display_name()
    {
        var both = Principal(("preferred_username", "adele.vance@contoso.com"), ("upn", "adele@contoso.onmicrosoft.com"), ("name", "Adele Vance"));
        var upnOnly = Principal(("upn", "adele@contoso.onmicrosoft.com"));
        var app = Principal();

        Assert.Equal(("adele.vance@contoso.com", "Adele Vance"), (CallerIdentity.Upn(both), CallerIdentity.DisplayName(both)));
        Assert.Equal("adele@contoso.onmicrosoft.com", CallerIdentity.Upn(upnOnly));
        Assert.Equal((null, null), (CallerIdentity.Upn(app), CallerIdentity.DisplayName(app)));
    }

    [Fact]
    public void A_hostile_name_is_clipped_and_cleaned_and_the_line_stays_one_valid_json_line()
    {
        var hostile = Principal(("name", "Eve\n{\"event\":\"forged\"}\u202E\uD800" + new string('x', 1000)), ("preferred_username", "   "));
        var console = new StringWriter();
        using var audit = new AuditLog(console, null, new ManualTimeProvider());

        audit.Write(new AuditRecord { Event = "tool_call", CallerName = "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", CallerKind = "entra", CallerUpn = CallerIdentity.Upn(hostile), CallerDisplayName = CallerIdentity.DisplayName(hostile) });

        var text = console.ToString();
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var caller = JsonDocument.Parse(text).RootElement.GetProperty("caller");
        var name = caller.GetProperty("display_name").GetString()!;
        Assert.Equal(AuditText.MaxLength, name.Length);
        Assert.StartsWith("Eve?{\"event\":\"forged\"}??xxx", name, StringComparison.Ordinal);
        Assert.False(caller.TryGetProperty("upn", out _));
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity([new Claim("oid", "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"), .. claims.Select(c => new Claim(c.Type, c.Value))], "test"));
}
