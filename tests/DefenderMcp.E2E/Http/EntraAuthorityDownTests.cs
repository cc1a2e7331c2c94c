using System.Net;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// A server whose callers' Entra authority it cannot read (here its certificate is not trusted) refuses every Entra
/// caller; the log at the default level says why, instead of nothing (and "no signing key", blaming the token, at
/// Information).
/// </summary>
public sealed class EntraAuthorityDownTests
{
    [Fact]
    public async Task An_authority_the_server_cannot_read_is_named_in_a_warning_when_a_caller_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        using var control = emulator.CreateControlClient();
        var directory = emulator.GetTenant("contoso");
        var root = emulator.BaseUri.ToString();
        await using var server = await HttpServerHost.StartAsync(EntraOnlyEnvironment.For(emulator, "api://defender-mcp", trustAuthority: false), ct);
        var token = (await control.MintCallerTokenAsync(new CallerTokenRequest { Tenant = directory.Key, Audience = "api://defender-mcp", Roles = ["Defender.Read"] }, ct)).Token;

        using var refused = await HttpClients.PostAsync(server.McpUrl, token, ct);
        string? warning = null;
        for (var i = 0; i < 100 && warning is null; i++)
        {
            warning = server.Stderr.FirstOrDefault(l => l.StartsWith("warn: DefenderMcp.Http.Entra", StringComparison.Ordinal));
            await Task.Delay(100, ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotNull(warning);
        Assert.Contains("Entra ID callers are refused:", warning, StringComparison.Ordinal);
        Assert.Contains($"{root}{directory.TenantId}/v2.0/.well-known/openid-configuration cannot be reached", warning, StringComparison.Ordinal);
        Assert.Contains("DEFENDER_MCP_ENTRA_TLS_TRUST_CERT", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Stderr, l => l.Contains(token, StringComparison.Ordinal));
    }
}
