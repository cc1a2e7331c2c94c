using System.Diagnostics;
using DefenderMcp.Client;
using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>Each API answers a small real read (one incident, one device) with the tenant's own token.</summary>
public static class EndpointCheck
{
    /// <summary>The findings for the APIs <paramref name="authenticated"/> holds a token for.</summary>
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(
        TenantSettings tenant, DefenderClient client, IReadOnlySet<DefenderApi> authenticated, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        foreach (var api in new[] { DefenderApi.Graph, DefenderApi.Mde })
        {
            var root = api == DefenderApi.Graph ? tenant.Connection.Endpoints.GraphRoot : tenant.Connection.Endpoints.MdeRoot;
            var check = $"endpoint {TokenAndRolesCheck.Name(api)}";
            if (!authenticated.Contains(api))
            {
                findings.Add(new(tenant.Key, check, DoctorStatus.Warning, $"{root} not checked: no token", "fix the token problem first"));
                continue;
            }

            var watch = Stopwatch.StartNew();
            try
            {
                _ = api == DefenderApi.Graph
                    ? (object)await client.ListIncidentsAsync(new IncidentFilter(), 1, cancellationToken).ConfigureAwait(false)
                    : await client.ListMachinesAsync(new MachineFilter(), 1, cancellationToken).ConfigureAwait(false);
                findings.Add(new(tenant.Key, check, DoctorStatus.Ok, $"{root} answers ({watch.ElapsedMilliseconds} ms)"));
            }
            catch (DefenderApiException ex) when (ex.Code is DefenderErrorCode.PermissionDenied or DefenderErrorCode.RateLimited)
            {
                // It answered: the refusal is the roles check's (or the quota's) business.
                findings.Add(new(tenant.Key, check, DoctorStatus.Ok, $"{root} answers ({ex.CodeName}{(ex.MissingRole is null ? string.Empty : $", needs {ex.MissingRole}")})"));
            }
            catch (DefenderApiException ex)
            {
                findings.Add(new(tenant.Key, check, DoctorStatus.Problem,
                    $"{root} did not answer a read: {ex.CodeName}{(ex.HttpStatus is { } status ? $" (HTTP {status})" : string.Empty)}",
                    $"check that {root.Host} is reachable from this host (proxy, firewall, DNS), the cloud and region settings, and any endpoint override; if it answers 5xx, the service is down: try again later"));
            }
        }

        return findings;
    }
}
