using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// With Entra ID callers configured (<c>DEFENDER_MCP_ENTRA_*</c>), reads the authority's OpenID configuration and
/// signing keys as the HTTP server will. Without this the doctor reported no problem while every Entra caller would be
/// refused, because the server could not read the keys (an untrusted certificate, a wrong tenant, no route).
/// </summary>
public static class EntraAuthorityCheck
{
    /// <summary>One finding when Entra is configured and valid; none otherwise (<see cref="HttpSettingsCheck"/> reports bad values).</summary>
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(EnvironmentSource environment, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (HttpServerOptions.FromEnvironment(environment, problems).Entra is not { } entra)
        {
            return [];
        }

        string? problem;
        try
        {
            problem = await EntraAuthorityProbe.ProblemAsync(entra, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException)
        {
            problem = "DEFENDER_MCP_ENTRA_TLS_TRUST_CERT could not be read as a PEM certificate";
        }

        return [problem is null
            ? new DoctorFinding(DoctorFinding.AllTenants, "entra", DoctorStatus.Ok, $"{entra.MetadataAddress} answers and names its signing keys")
            : new DoctorFinding(DoctorFinding.AllTenants, "entra", DoctorStatus.Problem, problem, EntraAuthorityProbe.Fix)];
    }
}
