using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>Turns the <c>tenant</c> argument into configured tenants. An unknown key is refused without echoing it.</summary>
public static class TenantSelector
{
    /// <summary>
    /// Resolves the argument; <paramref name="allowFanOut"/> is false for writes. With a restricted
    /// <paramref name="grant"/> the caller's tenants are the whole world: <c>"*"</c> means those, the default is the
    /// first of them when the server's default is not, and any other key is refused alike, known or not.
    /// </summary>
    public static TenantSelection Select(JsonElement? raw, ServerSettings settings, bool allowFanOut, CallerGrant? grant = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        grant ??= CallerGrant.Unrestricted;
        if (raw is null)
        {
            var fallback = grant.Allows(settings.DefaultTenant) ? settings.FindTenant(settings.DefaultTenant) : grant.AllowedTenants(settings.Tenants).FirstOrDefault();
            return new TenantSelection([fallback ?? throw NotForCaller(settings, grant)], false);
        }

        var element = raw.Value;
        if (element.ValueKind == JsonValueKind.String)
        {
            var key = element.GetString()!.Trim();
            if (key == "*")
            {
                RequireFanOut(allowFanOut);
                var mine = grant.AllowedTenants(settings.Tenants);
                return mine.Count > 0 ? new TenantSelection(mine, true, "*") : throw NotForCaller(settings, grant);
            }

            var tenant = Find(key, settings, grant);
            return new TenantSelection([tenant], false, tenant.Key);
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, "'tenant' must be a tenant key, \"*\", or a list of tenant keys.");
        }

        RequireFanOut(allowFanOut);
        var keys = element.EnumerateArray().ToList();
        if (keys.Count == 0 || keys.Count > 500 || keys.Any(k => k.ValueKind != JsonValueKind.String))
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, "'tenant' as a list must hold 1 to 500 tenant keys.");
        }

        var wanted = keys.Select(k => Find(k.GetString()!.Trim(), settings, grant).Key).ToHashSet(StringComparer.Ordinal);
        var selected = settings.Tenants.Where(t => wanted.Contains(t.Key)).ToList();
        return new TenantSelection(selected, true, new JsonArray([.. selected.Select(t => (JsonNode)JsonValue.Create(t.Key))]));
    }

    private static TenantSettings Find(string key, ServerSettings settings, CallerGrant grant)
    {
        var tenant = settings.FindTenant(key);
        if (!grant.IsUnrestricted)
        {
            // A restricted caller learns nothing about tenants outside its grant, not even whether the key exists.
            return tenant is not null && grant.Allows(tenant.Key) ? tenant : throw NotForCaller(settings, grant);
        }

        // The given key is never echoed: it may be a probe, or a secret pasted by mistake.
        return tenant ?? throw new PolicyException(
            PolicyRefusal.InvalidInput,
            $"Unknown tenant. Configured tenants: {string.Join(", ", settings.Tenants.Select(t => t.Key))}.");
    }

    private static PolicyException NotForCaller(ServerSettings settings, CallerGrant grant)
    {
        var mine = grant.AllowedTenants(settings.Tenants);
        return new PolicyException(
            PolicyRefusal.Denied,
            mine.Count == 0
                ? "This caller may not use any tenant. An administrator can grant tenants in the callers file."
                : $"That tenant is not available to this caller. Tenants available: {string.Join(", ", mine.Select(t => t.Key))}.");
    }

    private static void RequireFanOut(bool allowFanOut)
    {
        if (!allowFanOut)
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, "This tool acts on one tenant at a time; pass a single tenant key.");
        }
    }
}
