namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>Tenants for data tests that need no certificates on disk.</summary>
internal static class TestTenants
{
    public static EmulatedTenant Tenant(string key)
    {
        var app = new EmulatedApp("client", "secret", "x.pfx", "x.pem", "p", "00", [], []);
        return new EmulatedTenant(key, Guid.NewGuid().ToString(), key, key == "contoso" ? "contoso.com" : key == "fabrikam" ? "fabrikam.com" : $"{key}.example", app, app);
    }
}
