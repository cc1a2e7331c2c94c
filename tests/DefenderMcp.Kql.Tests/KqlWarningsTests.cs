using DefenderMcp.Kql.Guard;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlWarningsTests
{
    private static IReadOnlyList<string> Warnings(string query) => KqlGuard.Check(query).Warnings;

    [Fact]
    public void Unknown_table_suggests_the_right_one_first()
    {
        var warning = Assert.Single(Warnings("DeviceProcessEvent | take 5"));

        Assert.StartsWith("Unknown table 'DeviceProcessEvent'. Did you mean: DeviceProcessEvents", warning, StringComparison.Ordinal);
        Assert.Equal(3, warning.Split(':')[1].Split(',').Length);
    }

    [Fact]
    public void Table_case_mistakes_are_named()
    {
        Assert.Contains("case-sensitive. Did you mean DeviceInfo", Assert.Single(Warnings("deviceinfo | take 1")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceInfo | take 1")]
    [InlineData("let T = DeviceInfo | take 1; T | take 1")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(1d) and FileName =~ 'x' | project Renamed = FileName, DeviceName | where Renamed == 'y'")]
    [InlineData("DeviceLogonEvents | join kind=inner (DeviceInfo | take 1) on DeviceId | take 1")]
    [InlineData("DeviceProcessEvents | summarize c = count() by DeviceName | where c > 5")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has_any ('a', 'b') and isnotempty(AccountName)")]
    public void Known_tables_and_columns_get_no_warning(string query) => Assert.Empty(Warnings(query));

    [Fact]
    public void Unknown_columns_on_a_known_table_are_named_with_suggestions()
    {
        var warning = Assert.Single(Warnings("DeviceProcessEvents | where ProcesCommandLine has 'x'"));

        Assert.StartsWith("Unknown column 'ProcesCommandLine' in DeviceProcessEvents. Did you mean: ProcessCommandLine", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Joined_and_unioned_tables_are_checked_too()
    {
        var warnings = Warnings("DeviceInfo | join kind=inner (DeviceLogonEvent) on DeviceId | union EmailEvent");

        Assert.Contains(warnings, w => w.StartsWith("Unknown table 'DeviceLogonEvent'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Unknown table 'EmailEvent'", StringComparison.Ordinal));
    }
}
