using System.Text.Json;
using DefenderMcp.Mcp;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// Date-time arguments are read as ISO-8601 only: culture-dependent text (03/12/2026 is 3 December or 12 March) must
/// be refused rather than read US-style, and an ISO value outside the accepted years is refused with the real rule.
/// </summary>
public sealed class DateTimeArgumentTests
{
    [Theory]
    [InlineData("2026-03-12T08:30:00Z", "2026-03-12T08:30:00.0000000+00:00")]
    [InlineData("2026-03-12t08:30:00z", "2026-03-12T08:30:00.0000000+00:00")]
    [InlineData("2026-03-12T08:30:00.25+02:00", "2026-03-12T06:30:00.2500000+00:00")]
    [InlineData("2026-03-12T08:30", "2026-03-12T08:30:00.0000000+00:00")]
    [InlineData("2026-03-12", "2026-03-12T00:00:00.0000000+00:00")]
    public void Iso_date_times_are_read_in_utc(string text, string expected)
    {
        var value = Read(text);

        Assert.Equal(expected, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("03/12/2026")]
    [InlineData("11/30/2026")]
    [InlineData("12.03.2026")]
    [InlineData("Dec 2 2026")]
    [InlineData("2 December 2026")]
    [InlineData("2026/03/12")]
    [InlineData("2026-03-12 08:30:00")]
    [InlineData("20260312")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-12T25:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("٢٠٢٦-٠٣-١٢")]
    public void Other_text_is_refused_as_not_iso(string text)
    {
        var error = Assert.Throws<ToolException>(() => Read(text));

        Assert.Equal(ErrorCodes.InvalidInput, error.Code);
        Assert.Contains("ISO-8601", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("2101-01-01")]
    public void An_iso_value_outside_the_years_names_the_range(string text)
    {
        var error = Assert.Throws<ToolException>(() => Read(text));

        Assert.Equal(ErrorCodes.InvalidInput, error.Code);
        Assert.Equal("'since' must fall in the years 2000 to 2100 (UTC).", error.Message);
    }

    private static DateTimeOffset Read(string text) =>
        new ToolArguments(new Dictionary<string, JsonElement> { ["since"] = JsonSerializer.SerializeToElement(text) }, ["since"])
            .OptionalDateTime("since")!.Value;
}
