using DefenderMcp.Configuration;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>
/// The caller policy (<c>DEFENDER_MCP_CALLERS_FILE</c>) read as <c>serve --transport http</c> reads it, so a rule the
/// HTTP server would refuse at start is found by doctor first, with its JSON path.
/// </summary>
public static class CallersFileCheck
{
    private const string Check = "callers";

    /// <summary>No finding without the variable or when its file mode is already a problem; else one per problem, or one OK.</summary>
    public static IEnumerable<DoctorFinding> Run(EnvironmentSource environment, IReadOnlyList<string> tenantKeys)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Get(CallersFile.Variable) is not { } path || SecureFile.Check(path, CallersFile.Variable) is not null)
        {
            return [];
        }

        try
        {
            var policy = CallersFile.Load(path, tenantKeys);
            return [new DoctorFinding(DoctorFinding.AllTenants, Check, DoctorStatus.Ok, $"{CallersFile.Variable}: {policy.Rules.Count} rule{(policy.Rules.Count == 1 ? string.Empty : "s")}")];
        }
        catch (ConfigurationException ex)
        {
            return [.. ex.Problems.Select(p => new DoctorFinding(DoctorFinding.AllTenants, Check, DoctorStatus.Problem, $"{CallersFile.Variable} {p}", "fix the rule (docs/deployment.md, caller policy); the HTTP server refuses to start with it", RefusesStart: true))];
        }
    }
}
