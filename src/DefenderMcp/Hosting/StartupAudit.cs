using DefenderMcp.Audit;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting;

/// <summary>The first audit line: which tenants, tiers and confirmation modes this server runs with.</summary>
public static class StartupAudit
{
    /// <summary>Writes the <c>server_start</c> event.</summary>
    public static void Write(AuditLog audit, ServerSettings settings, IReadOnlyList<string> notes, string transport)
    {
        var policies = settings.Tenants.Select(t =>
            $"{t.Key}: actions={t.Policy.Actions.ConfigName()} confirmation={t.Policy.Confirmation.ToString().ToLowerInvariant()}");
        audit.Write(new AuditRecord
        {
            Event = "server_start",
            Tenants = [.. settings.Tenants.Select(t => t.Key)],
            Outcome = "success",
            Notes = [$"transport={transport}", $"version={ServerVersion.Current}", .. policies, .. settings.Warnings, .. notes],
        });
    }
}
