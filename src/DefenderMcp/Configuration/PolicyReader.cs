namespace DefenderMcp.Configuration;

/// <summary>Parses policy values (tier, confirmation, protected devices, budget) from strings, reporting problems by setting name.</summary>
public static class PolicyReader
{
    /// <summary>Builds a policy from raw values; any null value takes its default.</summary>
    public static TenantPolicy Read(
        string? actions,
        string? confirmation,
        IReadOnlyList<string>? protectedDevices,
        int? maxActionsPerHour,
        bool? allowOffboard,
        Func<string, string> settingName,
        ICollection<string> problems)
    {
        var tier = actions?.ToLowerInvariant() switch
        {
            null or "read" => ActionTier.Read,
            "respond" => ActionTier.Respond,
            "live_response" => ActionTier.LiveResponse,
            _ => Problem(ActionTier.Read, $"{settingName("actions")}: must be read, respond or live_response"),
        };
        var mode = confirmation?.ToLowerInvariant() switch
        {
            null or "elicitation" => ConfirmationMode.Elicitation,
            "token" => ConfirmationMode.Token,
            "none" => ConfirmationMode.None,
            _ => Problem(ConfirmationMode.Elicitation, $"{settingName("confirmation")}: must be elicitation, token or none"),
        };
        var budget = maxActionsPerHour ?? 10;
        if (budget is < 0 or > 10_000)
        {
            budget = Problem(10, $"{settingName("max_actions_per_hour")}: must be between 0 and 10000");
        }

        var devices = new List<string>();
        foreach (var device in protectedDevices ?? [])
        {
            if (string.IsNullOrWhiteSpace(device) || device.Length > 256)
            {
                problems.Add($"{settingName("protected_devices")}: entries must be 1 to 256 characters");
                continue;
            }

            devices.Add(device.Trim());
        }

        return new TenantPolicy(tier, mode, devices, budget, allowOffboard ?? false);

        T Problem<T>(T fallback, string text)
        {
            problems.Add(text);
            return fallback;
        }
    }

    /// <summary>
    /// The <c>protected_users</c> entries: object ids (of a user or a group) or UPN globs with <c>*</c> and <c>?</c>.
    /// Anything else is a problem, so a typo never leaves an account unprotected without a word.
    /// </summary>
    public static IReadOnlyList<string> ReadProtectedUsers(IReadOnlyList<string>? entries, Func<string, string> settingName, ICollection<string> problems)
    {
        var users = new List<string>();
        foreach (var raw in entries ?? [])
        {
            var entry = raw?.Trim() ?? string.Empty;
            if (Guid.TryParseExact(entry, "D", out var id))
            {
                users.Add(id.ToString());
            }
            else if (entry.Length is > 0 and <= 320 && entry.All(c => char.IsAsciiLetterOrDigit(c) || "'._!#^~*?@-".Contains(c, StringComparison.Ordinal)))
            {
                users.Add(entry);
            }
            else
            {
                problems.Add($"{settingName("protected_users")}: entries must be an object id (GUID) or a UPN glob such as breakglass*@contoso.com");
            }
        }

        return users;
    }

    /// <summary>Parses a boolean setting (true/false/1/0/yes/no).</summary>
    public static bool? ParseBool(string? value, string setting, ICollection<string> problems)
    {
        switch (value?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "1" or "yes": return true;
            case "false" or "0" or "no": return false;
            default:
                problems.Add($"{setting}: must be true or false");
                return null;
        }
    }

    /// <summary>Parses an integer setting within bounds.</summary>
    public static int? ParseInt(string? value, string setting, int min, int max, ICollection<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) &&
            n >= min && n <= max)
        {
            return n;
        }

        problems.Add($"{setting}: must be an integer from {min} to {max}");
        return null;
    }
}
