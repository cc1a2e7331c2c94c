using System.Text.RegularExpressions;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Policy;

/// <summary>Policy sits below the tool core: it refuses with its own exception and never reaches into Mcp.</summary>
public sealed partial class PolicyLayerTests
{
    [GeneratedRegex(@"\bMcp\.|using DefenderMcp\.Mcp\b")]
    private static partial Regex McpReference();

    private static string Root() => RepositoryRoot.Folder;

    [Fact]
    public void No_policy_file_refers_to_the_tool_core()
    {
        var files = Directory.GetFiles(Path.Combine(Root(), "src", "DefenderMcp", "Policy"), "*.cs");

        Assert.NotEmpty(files);
        Assert.Empty(files.Where(f => McpReference().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName));
    }

    [Fact]
    public void Policy_types_name_no_tool_core_type_in_their_members()
    {
        var policy = typeof(TenantRunner).Assembly.GetTypes().Where(t => t.Namespace == "DefenderMcp.Policy");
        var leaks = policy
            .SelectMany(t => t.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
                .SelectMany(m => m switch
                {
                    System.Reflection.FieldInfo f => [f.FieldType],
                    System.Reflection.PropertyInfo p => [p.PropertyType],
                    System.Reflection.MethodInfo mi => mi.GetParameters().Select(x => x.ParameterType).Append(mi.ReturnType),
                    _ => Array.Empty<Type>(),
                })
                .Where(type => type.Namespace?.StartsWith("DefenderMcp.Mcp", StringComparison.Ordinal) == true)
                .Select(type => $"{t.Name}: {type.Name}"))
            .Distinct()
            .ToList();

        Assert.Empty(leaks);
    }

    [Fact]
    public async Task A_failing_tenant_is_an_outcome_of_its_own_and_the_others_still_return()
    {
        TenantSettings Tenant(string key) => CallerPolicyTests.Tenant(key, ActionTier.Read);
        var selection = new TenantSelection([Tenant("a"), Tenant("b"), Tenant("c")], true);

        var outcomes = await TenantRunner.RunAsync(
            selection,
            2,
            (tenant, _) => tenant.Key == "b" ? throw new PolicyException(PolicyRefusal.Denied, "no") : Task.FromResult(new System.Text.Json.Nodes.JsonObject { ["k"] = tenant.Key }),
            TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], outcomes.Select(o => o.Tenant.Key));
        Assert.Equal("a", outcomes[0].Result!["k"]!.GetValue<string>());
        Assert.IsType<PolicyException>(outcomes[1].Error);
        Assert.Null(outcomes[1].Result);
        Assert.Null(outcomes[2].Error);
    }
}
