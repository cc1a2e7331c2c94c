using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;

namespace DefenderMcp.Tests.Support;

/// <summary>A configured tenant that signs in as another emulator app (say the tenant's app with few roles).</summary>
public static class TenantApps
{
    /// <summary><paramref name="tenant"/> with <paramref name="app"/>'s client id and secret.</summary>
    public static TenantSettings SignedInAs(this TenantSettings tenant, EmulatedApp app) =>
        tenant with { Connection = tenant.Connection with { ClientId = app.ClientId, Credential = new ClientSecretCredentialSpec(app.ClientSecret) } };
}
