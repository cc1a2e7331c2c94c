using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// The HTTP transport's variables (<c>DEFENDER_MCP_HTTP_*</c>, <c>DEFENDER_MCP_ENTRA_*</c>) read as
/// <c>serve --transport http</c> reads them: a value it would refuse at start is a problem here too. Unset variables
/// are not reported (a stdio server does not need them).
/// </summary>
public static class HttpSettingsCheck
{
    /// <summary>One finding per value the HTTP server would refuse; none when every set value is valid.</summary>
    public static IEnumerable<DoctorFinding> Run(EnvironmentSource environment)
    {
        var problems = new List<string>();
        HttpServerOptions.FromEnvironment(environment, problems);
        return [.. problems.Select(p => new DoctorFinding(DoctorFinding.AllTenants, "http", DoctorStatus.Problem, p, "fix the variable (docs/deployment.md); serve --transport http refuses to start with it", RefusesStart: true))];
    }
}
