using DefenderMcp.Areas.Hunting;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// Refusals a user meets while exploring, each naming the parameter and what to give instead: a device that is no
/// id or name, a malformed UPN (refused before any request, not cut at its first '@'), the month notice's example
/// (which must itself be accepted unclamped) and "*" inside a tenant list.
/// </summary>
public sealed class InputMessageTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("ctso-fin-lt-011.contoso.com..")]
    [InlineData("ctso-fin-lt-011..contoso.com")]
    public async Task A_device_that_is_no_id_or_name_names_the_parameter_and_the_forms(string device)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("get_device", new() { ["device"] = device });

        Assert.Equal("invalid_input", code);
        Assert.Contains("'device'", message, StringComparison.Ordinal);
        Assert.Contains("DNS name", message, StringComparison.Ordinal);
        Assert.Contains("device id", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x@y@z")]
    [InlineData("x@")]
    [InlineData("adele.vance@contoso.com@evil")]
    public async Task A_malformed_upn_is_invalid_input_not_a_pivot_on_its_first_part(string user)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, message) = await server.CallErrorAsync("get_user_info", new() { ["user"] = user });

        Assert.Equal("invalid_input", code);
        Assert.StartsWith("'user' must be", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_month_notice_suggests_a_length_that_is_taken_as_given()
    {
        var notice = HuntingTimespan.Parse("P1M").Notice!;

        // The advice after the ';' (the part before it is what P1M was read as).
        var advice = notice[(notice.IndexOf(';', StringComparison.Ordinal) + 1)..];
        var examples = System.Text.RegularExpressions.Regex.Matches(advice, @"\bP[0-9]+[DW]\b").Select(m => m.Value).ToList();
        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.Null(HuntingTimespan.Parse(e).Notice));
    }

    [Theory]
    [InlineData("[\"*\"]")]
    [InlineData("[\"contoso\", \"*\"]")]
    [InlineData("[\" * \"]")]
    public void Star_inside_a_tenant_list_says_to_pass_it_as_a_string(string tenant)
    {
        var settings = new ServerSettings
        {
            Tenants = [DefenderMcp.Tests.Policy.CallerPolicyTests.Tenant("contoso", ActionTier.Read), DefenderMcp.Tests.Policy.CallerPolicyTests.Tenant("fabrikam", ActionTier.Read)],
            DefaultTenant = "contoso",
        };

        var ex = Assert.Throws<PolicyException>(() => TenantSelector.Select(System.Text.Json.JsonDocument.Parse(tenant).RootElement.Clone(), settings, allowFanOut: true));

        Assert.Equal(PolicyRefusal.InvalidInput, ex.Refusal);
        Assert.Contains("\"tenant\": \"*\"", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown tenant", ex.Message, StringComparison.Ordinal);
    }
}
