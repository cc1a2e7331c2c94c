using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Policy;

/// <summary>Turns the <c>tenant</c> argument into configured tenants. An unknown key is refused without echoing it.</summary>
public static class TenantSelector
{
    /// <summary>Resolves the argument; <paramref name="allowFanOut"/> is false for writes.</summary>
    public static TenantSelection Select(ToolArguments args, ServerSettings settings, bool allowFanOut)
    {
        var raw = args.Raw("tenant");
        if (raw is null)
        {
            return new TenantSelection([settings.FindTenant(settings.DefaultTenant)!], false);
        }

        var element = raw.Value;
        if (element.ValueKind == JsonValueKind.String)
        {
            var key = element.GetString()!.Trim();
            if (key == "*")
            {
                RequireFanOut(allowFanOut);
                args.Validated["tenant"] = "*";
                return new TenantSelection(settings.Tenants, true);
            }

            var tenant = Find(key, settings);
            args.Validated["tenant"] = tenant.Key;
            return new TenantSelection([tenant], false);
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw ToolException.InvalidInput("'tenant' must be a tenant key, \"*\", or a list of tenant keys.");
        }

        RequireFanOut(allowFanOut);
        var keys = element.EnumerateArray().ToList();
        if (keys.Count == 0 || keys.Count > 500 || keys.Any(k => k.ValueKind != JsonValueKind.String))
        {
            throw ToolException.InvalidInput("'tenant' as a list must hold 1 to 500 tenant keys.");
        }

        var wanted = keys.Select(k => Find(k.GetString()!.Trim(), settings).Key).ToHashSet(StringComparer.Ordinal);
        var selected = settings.Tenants.Where(t => wanted.Contains(t.Key)).ToList();
        args.Validated["tenant"] = new JsonArray([.. selected.Select(t => (JsonNode)JsonValue.Create(t.Key))]);
        return new TenantSelection(selected, true);
    }

    private static TenantSettings Find(string key, ServerSettings settings) =>
        settings.FindTenant(key) ?? throw ToolException.InvalidInput(
            // The given key is never echoed: it may be a probe, or a secret pasted by mistake.
            $"Unknown tenant. Configured tenants: {string.Join(", ", settings.Tenants.Select(t => t.Key))}.");

    private static void RequireFanOut(bool allowFanOut)
    {
        if (!allowFanOut)
        {
            throw ToolException.InvalidInput("This tool acts on one tenant at a time; pass a single tenant key.");
        }
    }
}
