using System.CommandLine;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Doctor;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp doctor</c>: checks the configuration against the real services and names the fix for each problem.</summary>
public static class DoctorCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (for scripts and monitoring)." };
        var tenant = new Option<string?>("--tenant") { Description = "Check only the tenant with this key." };
        var command = new Command(
            "doctor",
            "Check each tenant: configuration, file modes, certificate, a token per scope, app roles for the enabled tier, endpoints and clock skew. Exit 0 when all is well, 1 on a problem, 2 on an invalid configuration.");
        command.Options.Add(json);
        command.Options.Add(tenant);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var environment = EnvironmentSource.FromProcess(Directory.GetCurrentDirectory(), problems);
            var report = problems.Count > 0
                ? new DoctorReport([.. problems.Select(p => new DoctorFinding(DoctorFinding.AllTenants, "configuration", DoctorStatus.Problem, p, "fix the .env file"))], ConfigurationInvalid: true)
                : await new Doctor(TimeProvider.System).RunAsync(environment, parse.GetValue(tenant), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteAsync(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToTable()).ConfigureAwait(false);
            return report.ExitCode;
        });
        return command;
    }
}
