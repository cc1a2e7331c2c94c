using System.Net;
using System.Text.Json;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// A team server with Entra ID callers and no API keys, behind a proxy (<c>DEFENDER_MCP_PUBLIC_URL</c> under a path
/// prefix): its 401 texts name only what is configured, and every protected resource metadata URL a client can derive
/// answers with the resource identifier it was derived from (RFC 9728 section 3.3).
/// </summary>
public sealed class EntraOnlyServerTests
{
    private const string Audience = "api://defender-mcp-only";
    private const string PublicUrl = "https://mcp.example.com/team/mcp";

    [Fact]
    public async Task Its_401s_name_only_entra_and_its_metadata_names_the_resource_each_url_was_derived_from()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        using var control = emulator.CreateControlClient();
        var directory = emulator.GetTenant("contoso");
        var environment = EntraOnlyEnvironment.For(emulator, Audience);
        environment["DEFENDER_MCP_PUBLIC_URL"] = PublicUrl;
        await using var server = await HttpServerHost.StartAsync(environment, ct);

        // No credential: it said "... or send an API key." on a server that has none.
        using var anonymous = await HttpClients.PostAsync(server.McpUrl, null, ct);
        var anonymousText = await anonymous.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Entra ID", anonymousText, StringComparison.Ordinal);
        Assert.DoesNotContain("API key", anonymousText, StringComparison.OrdinalIgnoreCase);

        // Tokens the server refuses: one fixed text that names neither the expected audience, the authority nor the tenant.
        foreach (var shape in new Func<CallerTokenRequest, CallerTokenRequest>[]
        {
            r => r with { Audience = "api://someone-else" },
            r => r with { LifetimeSeconds = -300 },
            r => r with { Scopes = "", Roles = [] },
        })
        {
            var token = (await control.MintCallerTokenAsync(shape(new CallerTokenRequest { Tenant = directory.Key, Audience = Audience, Roles = ["Defender.Read"] }), ct)).Token;
            using var refused = await HttpClients.PostAsync(server.McpUrl, token, ct);
            var text = await refused.Content.ReadAsStringAsync(ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("Unauthorized: the bearer token is not valid.", text, StringComparison.Ordinal);
            foreach (var secret in new[] { Audience, directory.TenantId, "API key", emulator.BaseUri.Authority })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // The 401 names the metadata at the public host with the path appended; the server serves it at its own path.
        var challenge = Assert.Single(anonymous.Headers.WwwAuthenticate).Parameter ?? string.Empty;
        Assert.Contains("resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/team/mcp\"", challenge, StringComparison.Ordinal);
        using var http = new HttpClient();
        var path = await MetadataAsync(http, new Uri(server.BaseUrl, ".well-known/oauth-protected-resource/mcp"), ct);
        var host = await MetadataAsync(http, new Uri(server.BaseUrl, ".well-known/oauth-protected-resource"), ct);
        Assert.Equal(PublicUrl, path.GetProperty("resource").GetString());
        Assert.Equal("https://mcp.example.com", host.GetProperty("resource").GetString());
        Assert.Equal(path.GetProperty("authorization_servers").GetRawText(), host.GetProperty("authorization_servers").GetRawText());
    }

    private static async Task<JsonElement> MetadataAsync(HttpClient http, Uri url, CancellationToken ct) =>
        JsonDocument.Parse(await http.GetStringAsync(url, ct)).RootElement.Clone();
}
