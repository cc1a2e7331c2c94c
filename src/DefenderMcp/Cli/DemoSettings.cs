using DefenderMcp.Configuration;

namespace DefenderMcp.Cli;

/// <summary>
/// The few settings <c>--demo</c> takes from the environment, so that a user can try what they will run for real: an
/// audit file (<c>DEFENDER_MCP_AUDIT_FILE</c>) and the confirmation mode (<c>DEFENDER_CONFIRMATION</c>, e.g. <c>token</c>
/// for clients without elicitation and for <c>defender-mcp call</c>), the call timeouts (<see cref="CallTimeouts"/>) and the
/// live-response folders and cap (<see cref="LiveResponseSettings"/>). Everything else in demo mode is the emulator's.
/// </summary>
public static class DemoSettings
{
    /// <summary>Applies the environment to the demo settings; each bad value becomes one problem.</summary>
    public static ServerSettings Apply(ServerSettings settings, Func<string, string?> environment, ICollection<string> problems)
    {
        var auditFile = environment(EnvironmentVariables.AuditFile);
        if (!string.IsNullOrWhiteSpace(auditFile))
        {
            if (AuditFileSetting.Check(auditFile) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                settings = settings with { AuditFilePath = Path.GetFullPath(auditFile) };
            }
        }

        var confirmation = environment(EnvironmentVariables.Confirmation)?.Trim().ToLowerInvariant();
        ConfirmationMode? mode = confirmation switch
        {
            null or "" => null,
            "elicitation" => ConfirmationMode.Elicitation,
            "token" => ConfirmationMode.Token,
            "none" => ConfirmationMode.None,
            _ => null,
        };
        if (confirmation is { Length: > 0 } && mode is null)
        {
            problems.Add($"{EnvironmentVariables.Confirmation}: must be elicitation, token or none");
        }

        if (mode is { } chosen)
        {
            settings = settings with { Tenants = [.. settings.Tenants.Select(t => t with { Policy = t.Policy with { Confirmation = chosen } })] };
        }

        // A chosen live-response folder (and cap) as in production; without one the session adds a private demo folder.
        settings = settings with { LiveResponse = LiveResponseSettings.Read(environment, problems) };
        return CallTimeouts.Read(environment, problems).ApplyTo(settings);
    }
}
