namespace DefenderMcp.Client.Tests;

// The client owns the wire spelling of a filter: Graph's camelCase, Defender for Endpoint's PascalCase, from any casing.
public sealed class FilterValuesTests
{
    [Theory]
    [InlineData("HIGH", "high")]
    [InlineData("High", "high")]
    [InlineData("informational", "informational")]
    public void A_graph_severity_in_any_casing_is_sent_camel_case(string value, string wire) =>
        Assert.Equal(wire, FilterValues.Wire(value, FilterValues.GraphSeverities, "severity"));

    [Theory]
    [InlineData("InProgress", "inProgress")]
    [InlineData("INPROGRESS", "inProgress")]
    [InlineData("awaitingaction", "awaitingAction")]
    public void A_graph_incident_status_in_any_casing_is_sent_camel_case(string value, string wire) =>
        Assert.Equal(wire, FilterValues.Wire(value, FilterValues.GraphIncidentStatuses, "status"));

    [Theory]
    [InlineData("inprogress", "InProgress")]
    [InlineData("TIMEOUT", "TimeOut")]
    public void A_machine_action_status_in_any_casing_is_sent_pascal_case(string value, string wire) =>
        Assert.Equal(wire, FilterValues.Wire(value, MachineActionKind.Statuses, "status"));

    [Fact]
    public void No_value_stays_none_and_an_unknown_one_is_invalid_input()
    {
        Assert.Null(FilterValues.Wire(null, FilterValues.RiskScores, "riskScore"));
        var refused = Assert.Throws<DefenderApiException>(() => FilterValues.Wire("severe", FilterValues.GraphSeverities, "severity"));
        Assert.Equal(DefenderErrorCode.InvalidInput, refused.Code);
        Assert.Contains("informational, low, medium, high", refused.Message, StringComparison.Ordinal);
    }
}
