using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Api;

namespace DefenderMcp.Emulator.Tests.Api;

public sealed class ODataFilterTests
{
    private static readonly HashSet<string> Properties = ["assignedTo", "severity", "createdDateTime", "rbacGroupId", "isAadJoined", "machineTags", "computerDnsName"];

    private static readonly JsonObject[] Items =
    [
        new() { ["id"] = "1", ["assignedTo"] = "sales and marketing", ["severity"] = "high", ["createdDateTime"] = "2026-02-01T10:00:00Z", ["rbacGroupId"] = 10, ["isAadJoined"] = true, ["machineTags"] = new JsonArray("VIP"), ["computerDnsName"] = "ctso-fin-lt-011.contoso.com" },
        new() { ["id"] = "2", ["assignedTo"] = null, ["severity"] = "low", ["createdDateTime"] = "2026-02-10T10:00:00Z", ["rbacGroupId"] = 20, ["isAadJoined"] = false, ["machineTags"] = new JsonArray(), ["computerDnsName"] = "ctso-dc-01.contoso.com" },
        new() { ["id"] = "3", ["assignedTo"] = "o'brien@contoso.com", ["severity"] = "High", ["createdDateTime"] = "2026-02-20T10:00:00.1234567Z", ["rbacGroupId"] = 10, ["isAadJoined"] = true, ["machineTags"] = new JsonArray("DomainController", "Tier0"), ["computerDnsName"] = "CTSO-DC-02.contoso.com" },
    ];

    [Theory]
    [InlineData("", "1,2,3")]
    [InlineData("severity eq 'high'", "1,3")]
    [InlineData("severity ne 'high'", "2")]
    [InlineData("assignedTo eq 'sales and marketing'", "1")]
    [InlineData("assignedTo eq 'o''brien@contoso.com' and severity eq 'high'", "3")]
    [InlineData("assignedTo eq null", "2")]
    [InlineData("assignedTo ne null", "1,3")]
    [InlineData("createdDateTime ge 2026-02-10T10:00:00Z", "2,3")]
    [InlineData("createdDateTime gt 2026-02-10T10:00:00Z and createdDateTime lt 2026-03-01T00:00:00Z", "3")]
    [InlineData("rbacGroupId eq 10", "1,3")]
    [InlineData("rbacGroupId gt 10", "2")]
    [InlineData("isAadJoined eq false", "2")]
    [InlineData("machineTags/any(tag: tag eq 'DomainController')", "3")]
    [InlineData("machineTags/any(t: t eq 'vip')", "1")]
    [InlineData("startswith(computerDnsName,'ctso-dc')", "2,3")]
    [InlineData("startswith(computerDnsName, 'ctso-dc') and severity eq 'low'", "2")]
    public void Supported_clauses_select_the_matching_items(string filter, string expected)
    {
        var predicate = ODataFilter.Parse(filter, Properties, out var error);

        Assert.Null(error);
        Assert.NotNull(predicate);
        Assert.Equal(expected, string.Join(',', Items.Where(predicate).Select(i => i["id"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("displayName eq 'x'", "displayName")]
    [InlineData("severity eq 'high' or severity eq 'low'", "not supported")]
    [InlineData("(severity eq 'high')", "not supported")]
    [InlineData("contains(computerDnsName,'dc')", "not supported")]
    [InlineData("startswith(displayName,'x')", "displayName")]
    [InlineData("severity eq 'unterminated", "not supported")]
    [InlineData("severity has 'high'", "not supported")]
    public void Unsupported_filters_are_named_in_the_error(string filter, string fragment)
    {
        var predicate = ODataFilter.Parse(filter, Properties, out var error);

        Assert.Null(predicate);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Startswith_on_a_number_matches_nothing_rather_than_failing()
    {
        var predicate = ODataFilter.Parse("startswith(rbacGroupId,'1')", Properties, out _)!;

        Assert.DoesNotContain(Items, i => predicate(i));
    }
}
