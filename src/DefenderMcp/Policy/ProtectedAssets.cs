using System.Text.RegularExpressions;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>Matches a device against a tenant's <c>protected_devices</c>: name globs, machine ids, or <c>tag:X</c>.</summary>
public static class ProtectedAssets
{
    /// <summary>The entry that protects the device, or null.</summary>
    public static string? Match(TenantPolicy policy, string machineId, string? name, IReadOnlyList<string> tags)
    {
        foreach (var entry in policy.ProtectedDevices)
        {
            if (entry.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
            {
                if (tags.Contains(entry[4..], StringComparer.OrdinalIgnoreCase))
                {
                    return entry;
                }
            }
            else if (string.Equals(entry, machineId, StringComparison.OrdinalIgnoreCase) || (name is not null && Glob(entry, name)))
            {
                return entry;
            }
        }

        return null;
    }

    private static bool Glob(string pattern, string name)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        // A glob without a dot also matches the short name of an FQDN.
        var shortName = name.Split('.')[0];
        return Regex.IsMatch(name, regex, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)) || Regex.IsMatch(shortName, regex, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }
}
