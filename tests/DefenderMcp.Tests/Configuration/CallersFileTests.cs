using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;

namespace DefenderMcp.Tests.Configuration;

/// <summary>The callers file: its format, each problem named by JSON path, and its file mode.</summary>
public sealed class CallersFileTests
{
    private static readonly string[] TenantKeys = ["contoso", "fabrikam"];

    private static CallerPolicy Parse(string json) => CallersFile.Parse(JsonDocument.Parse(json).RootElement, TenantKeys);

    [Fact]
    public void A_valid_file_yields_one_rule_per_entry()
    {
        var policy = Parse("""
            {"callers": {
              "key:ci-bot": {"tenants": ["contoso"]},
              "role:Defender.Respond": {"tenants": "*", "actions": "respond"},
              "group:3a1c1f6e-9a55-4c3e-8a3e-0c7f2b9d1e01": {"tenants": ["contoso", "fabrikam"], "actions": "read"},
              "oid:7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b": {"tenants": ["fabrikam"], "actions": "live_response"}
            }}
            """);

        Assert.True(policy.IsEnforced);
        Assert.Equal(
            [(CallerMatchKind.Key, "ci-bot", ActionTier.Read), (CallerMatchKind.Role, "Defender.Respond", ActionTier.Respond), (CallerMatchKind.Group, "3a1c1f6e-9a55-4c3e-8a3e-0c7f2b9d1e01", ActionTier.Read), (CallerMatchKind.Oid, "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", ActionTier.LiveResponse)],
            policy.Rules.Select(r => (r.Kind, r.Value, r.Actions)));
        Assert.Equal([CallerRule.AllTenants], policy.Rules[1].Tenants);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse("""
            {"callers": {
              "user:bob": {"tenants": "*"},
              "group:not-a-guid": {"tenants": "*"},
              "key:ok": {"tenants": ["contoso", "tailspin"], "actions": "admin", "extra": 1},
              "role:Reader": {"tenants": []},
              "oid:7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b": "read"
            }}
            """));

        Assert.Contains("$.callers[\"user:bob\"]: the name must start with key:, role:, group: or oid:", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("$.callers[\"group:not-a-guid\"]: must be a GUID", StringComparison.Ordinal));
        Assert.Contains("$.callers[\"key:ok\"].tenants: 'tailspin' is not a configured tenant", ex.Problems);
        Assert.Contains("$.callers[\"key:ok\"].actions: must be read, respond or live_response", ex.Problems);
        Assert.Contains("$.callers[\"key:ok\"].extra: unknown setting (expected tenants, actions)", ex.Problems);
        Assert.Contains("$.callers[\"role:Reader\"].tenants: must be \"*\" or a non-empty list of tenant keys", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("$.callers[\"oid:7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b\"]: must be an object", StringComparison.Ordinal));
        Assert.Equal(7, ex.Problems.Count);
    }

    [Fact]
    public void A_file_without_a_callers_object_is_refused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse("""{"tenants": {}}"""));

        Assert.StartsWith("$.callers: must be an object", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_must_be_0600_on_posix()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("file modes are POSIX only");
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"callers-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{"callers": {"key:ci-bot": {"tenants": "*"}}}""");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var loose = Assert.Throws<ConfigurationException>(() => CallersFile.Load(path, TenantKeys));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var policy = CallersFile.Load(path, TenantKeys);

            Assert.Contains("chmod 600", Assert.Single(loose.Problems), StringComparison.Ordinal);
            Assert.Single(policy.Rules);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"callers": {"role:Defender.Read": {"tenants": ["contoso"], "actions": "read"}, "role:Defender.Read": {"tenants": "*", "actions": "live_response"}}}""", "$.callers[\"role:Defender.Read\"]")]
    [InlineData("""{"callers": {"key:ci": {"tenants": ["contoso"], "actions": "read", "actions": "live_response"}}}""", "$.callers[\"key:ci\"].actions")]
    [InlineData("""{"callers": {"key:ci": {"tenants": ["contoso"]}}, "callers": {"key:ci": {"tenants": "*", "actions": "respond"}}}""", "$.callers")]
    public void A_name_given_twice_is_refused_with_its_path(string json, string path)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(json));

        Assert.Equal($"{path}: given more than once; keep one (JSON readers disagree on which one counts)", Assert.Single(ex.Problems));
    }
}
