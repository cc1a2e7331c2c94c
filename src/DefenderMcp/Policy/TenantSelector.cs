using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>Turns the <c>tenant</c> argument into configured tenants. An unknown key is refused without echoing it.</summary>
public static class TenantSelector
{
    /// <summary>
    /// Resolves the argument; <paramref name="allowFanOut"/> is false for writes, which take one key or a list of exactly
    /// one (the same tenant, checked and audited alike) and refuse <c>"*"</c> and longer lists. With a restricted
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
        if (!allowFanOut && element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 1 && element[0].ValueKind == JsonValueKind.String)
        {
            // A list of one key names one tenant: a write takes it exactly as that key (same checks, same audit line).
            element = element[0];
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var key = element.GetString()!.Trim();
            if (key == "*")
            {
                RequireFanOut(allowFanOut, "\"*\" names every tenant");
                var mine = grant.AllowedTenants(settings.Tenants);
                return mine.Count > 0 ? new TenantSelection(mine, true, "*") : throw NotForCaller(settings, grant);
            }

            var tenant = Find(key, settings, grant);
            return new TenantSelection([tenant], false, tenant.Key);
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, allowFanOut ? "'tenant' must be a tenant key, \"*\", or a list of tenant keys." : "'tenant' must be one tenant key, or a list of exactly one.");
        }

        var keys = element.EnumerateArray().ToList();
        if (keys.Count == 0 || keys.Count > 500 || keys.Any(k => k.ValueKind != JsonValueKind.String))
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, allowFanOut ? "'tenant' as a list must hold 1 to 500 tenant keys." : "'tenant' must be one tenant key, or a list of exactly one.");
        }

        RequireFanOut(allowFanOut, $"a list of {keys.Count} keys names {keys.Count} tenants");
        if (keys.Any(k => k.GetString()!.Trim() == "*"))
        {
            // "*" is no tenant key: in a list it would be looked up as one and refused as unknown.
            throw new PolicyException(PolicyRefusal.InvalidInput, "'tenant' takes \"*\" as a string, not inside a list: pass \"tenant\": \"*\" for every tenant, or a list of tenant keys.");
        }

        var wanted = keys.Select(k => Find(k.GetString()!.Trim(), settings, grant).Key).ToHashSet(StringComparer.Ordinal);
        var selected = settings.Tenants.Where(t => wanted.Contains(t.Key)).ToList();
        return new TenantSelection(selected, true, new JsonArray([.. selected.Select(t => (JsonNode)JsonValue.Create(t.Key))]));
    }

    /// <summary>
    /// The <c>tenant</c> argument of a refused call as the operator's audit line records it: configured keys (and
    /// <c>"*"</c>) as given, anything else as <see cref="UnknownTenant"/>, so the trail says which customer a caller
    /// reached for without holding a probe or a pasted secret. Null when no tenant was named.
    /// </summary>
    public static JsonNode? ForAudit(JsonElement? raw, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        JsonNode Key(JsonElement element) =>
            element.ValueKind == JsonValueKind.String && element.GetString()!.Trim() is var key && (key == "*" || settings.FindTenant(key) is not null)
                ? JsonValue.Create(key)
                : JsonValue.Create(UnknownTenant);
        return raw switch
        {
            null => null,
            { ValueKind: JsonValueKind.Array } list => new JsonArray([.. list.EnumerateArray().Take(500).Select(Key)]),
            { } one => Key(one),
        };
    }

    /// <summary>What <see cref="ForAudit"/> records for a value that names no configured tenant.</summary>
    public const string UnknownTenant = "(unknown)";

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

    // A one-tenant tool (every write): say why the selection was refused and what to pass instead.
    private static void RequireFanOut(bool allowFanOut, string why)
    {
        if (!allowFanOut)
        {
            throw new PolicyException(PolicyRefusal.InvalidInput, $"This tool acts on one tenant at a time, and {why}: pass one tenant key (\"contoso\", or a list of exactly one, [\"contoso\"]), and call it once per tenant for several. Nothing was sent.");
        }
    }
}
