using DefenderMcp.Emulator;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The environment of an HTTP server that reads the emulator's fabrikam tenant and whose only callers are Entra ID users
/// of its contoso directory (no API keys).
/// </summary>
internal static class EntraOnlyEnvironment
{
    /// <summary>
    /// The settings; <paramref name="trustAuthority"/> false leaves the authority's certificate untrusted, so the server
    /// cannot read its signing keys.
    /// </summary>
    public static Dictionary<string, string> For(DefenderEmulator emulator, string audience, bool trustAuthority = true)
    {
        var tenant = emulator.GetTenant("fabrikam");
        var directory = emulator.GetTenant("contoso");
        var root = emulator.BaseUri.ToString();
        var environment = new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_CLIENT_SECRET"] = tenant.App.ClientSecret,
            ["AZURE_AUTHORITY_HOST"] = root,
            ["GRAPH_API_BASE"] = root,
            ["DEFENDER_API_BASE"] = root,
            ["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath,
            ["DEFENDER_MCP_ENTRA_TENANT_ID"] = directory.TenantId,
            ["DEFENDER_MCP_ENTRA_AUDIENCE"] = audience,
            ["DEFENDER_MCP_ENTRA_AUTHORITY"] = $"{root}{directory.TenantId}/v2.0",
        };
        if (trustAuthority)
        {
            environment["DEFENDER_MCP_ENTRA_TLS_TRUST_CERT"] = emulator.CertificatePemPath;
        }

        return environment;
    }
}
