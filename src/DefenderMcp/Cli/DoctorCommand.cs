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
            "Check each tenant: configuration, file modes, certificate, a token per scope, app roles for the enabled tier, endpoints and clock skew (--demo: the demo tenants against the built-in emulator). Exit 0 when all is well, 1 on a problem, 2 on an invalid configuration.");
        command.Options.Add(json);
        command.Options.Add(tenant);
        command.Options.Add(CommonOptions.Demo);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(CommonOptions.Demo))
            {
                var demoReport = await RunDemoAsync(parse.GetValue(tenant), cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteAsync(parse.GetValue(json) ? demoReport.ToJson() + Environment.NewLine : demoReport.ToTable()).ConfigureAwait(false);
                return demoReport.ExitCode;
            }

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

    // The demo tenants checked for real against the built-in emulator: what a healthy report looks like, and proof
    // that this machine can reach a local HTTPS service with a pinned certificate and get tokens.
    private static async Task<DoctorReport> RunDemoAsync(string? tenantKey, CancellationToken cancellationToken)
    {
        await using var demo = Hosting.DemoEnvironment.Start(null);
        await Console.Error.WriteLineAsync(demo.Banner).ConfigureAwait(false);
        try
        {
            await demo.WaitUntilRunningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = ex is TimeoutException ? $"it did not start within {Hosting.DemoEnvironment.StartBound.TotalSeconds:0} s" : $"{ex.GetType().Name}: {ex.Message}";
            return new DoctorReport([new DoctorFinding(DoctorFinding.AllTenants, "emulator", DoctorStatus.Problem, "the demo emulator could not start: " + reason, "run 'defender-mcp emulator --port 0' to see why")], ConfigurationInvalid: false);
        }

        // serve --transport http --demo reads the callers file against the demo tenants: so does this check.
        var environment = EnvironmentSource.FromProcess(Directory.GetCurrentDirectory(), []);
        var callers = FileModeCheck.ServerFile(environment, CallersFile.Variable).Concat(CallersFileCheck.Run(environment, [.. demo.Settings.Tenants.Select(t => t.Key)]));
        return await new Doctor(TimeProvider.System).RunAsync(demo.Settings, tenantKey, callers, cancellationToken).ConfigureAwait(false);
    }
}
