using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DefenderMcp.Hosting.Doctor;

/// <summary>Everything the doctor found, and the exit code it means: 0 all well, 1 a problem, 2 an invalid configuration.</summary>
/// <param name="Findings">The findings in the order they were checked.</param>
/// <param name="ConfigurationInvalid">True when the configuration could not be loaded, or serve would refuse to start with it.</param>
public sealed record DoctorReport(IReadOnlyList<DoctorFinding> Findings, bool ConfigurationInvalid)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode => ConfigurationInvalid ? 2 : Findings.Any(f => f.Status == DoctorStatus.Problem) ? 1 : 0;

    /// <summary>A fixed-width table for people, with each fix under its finding.</summary>
    public string ToTable()
    {
        var tenantWidth = Math.Max(6, Findings.Select(f => f.Tenant.Length).DefaultIfEmpty(0).Max());
        var checkWidth = Math.Max(5, Findings.Select(f => f.Check.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        text.Append("TENANT".PadRight(tenantWidth)).Append("  ").Append("CHECK".PadRight(checkWidth)).Append("  STATUS   DETAIL\n");
        foreach (var finding in Findings)
        {
            text.Append(finding.Tenant.PadRight(tenantWidth)).Append("  ")
                .Append(finding.Check.PadRight(checkWidth)).Append("  ")
                .Append(Label(finding.Status).PadRight(7)).Append("  ")
                .Append(finding.Detail).Append('\n');
            if (finding.Fix is not null)
            {
                text.Append(new string(' ', tenantWidth + checkWidth + 13)).Append("fix: ").Append(finding.Fix).Append('\n');
            }
        }

        var problems = Findings.Count(f => f.Status == DoctorStatus.Problem);
        var warnings = Findings.Count(f => f.Status == DoctorStatus.Warning);
        text.Append('\n').Append(problems == 0 ? "No problems found" : $"{problems} problem{(problems == 1 ? string.Empty : "s")} found")
            .Append(warnings == 0 ? "." : $", {warnings} warning{(warnings == 1 ? string.Empty : "s")}.").Append('\n');
        return text.ToString();
    }

    /// <summary>The report as JSON, for scripts and monitoring.</summary>
    public string ToJson()
    {
        var checks = new JsonArray();
        foreach (var finding in Findings)
        {
            checks.Add(new JsonObject
            {
                ["tenant"] = finding.Tenant,
                ["check"] = finding.Check,
                ["status"] = Label(finding.Status).ToLowerInvariant(),
                ["detail"] = finding.Detail,
                ["fix"] = finding.Fix,
            });
        }

        return new JsonObject { ["ok"] = ExitCode == 0, ["exit_code"] = ExitCode, ["checks"] = checks }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "OK",
        DoctorStatus.Warning => "WARN",
        _ => "PROBLEM",
    };
}
