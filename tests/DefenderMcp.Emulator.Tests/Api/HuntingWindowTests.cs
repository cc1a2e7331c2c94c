using DefenderMcp.Emulator.Api;

namespace DefenderMcp.Emulator.Tests.Api;

public sealed class HuntingWindowTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, "2026-01-30T12:00:00", "2026-03-01T12:00:00")]
    [InlineData("P1D", "2026-02-28T12:00:00", "2026-03-01T12:00:00")]
    [InlineData("PT12H", "2026-03-01T00:00:00", "2026-03-01T12:00:00")]
    [InlineData("P90D", "2025-12-01T12:00:00", "2026-03-01T12:00:00")]
    [InlineData("2026-02-01T08:00:00Z/2026-02-15T08:00:00Z", "2026-02-01T08:00:00", "2026-02-15T08:00:00")]
    [InlineData("2026-02-01T08:00:00Z/P2D", "2026-02-01T08:00:00", "2026-02-03T08:00:00")]
    [InlineData("P2D/2026-02-15T08:00:00Z", "2026-02-13T08:00:00", "2026-02-15T08:00:00")]
    [InlineData("2026-02-28T00:00:00Z", "2026-02-28T00:00:00", "2026-03-01T12:00:00")]
    [InlineData("2026-02-28T00:00:00Z/2027-01-01T00:00:00Z", "2026-02-28T00:00:00", "2026-03-01T12:00:00")]
    public void Durations_instants_and_intervals_give_the_window(string? timespan, string start, string end)
    {
        var window = HuntingWindow.Parse(timespan, Now);

        Assert.NotNull(window);
        Assert.Equal(DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal), window.Value.Start);
        Assert.Equal(DateTime.Parse(end, null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal), window.Value.End);
        Assert.Equal(DateTimeKind.Utc, window.Value.Start.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 day")]
    [InlineData("-P1D")]
    [InlineData("P0D")]
    [InlineData("PXD")]
    [InlineData("P1D/P2D")]
    [InlineData("2026-02-15T08:00:00Z/2026-02-01T08:00:00Z")]
    [InlineData("2027-01-01T00:00:00Z")]
    [InlineData("a/b/c")]
    public void Anything_else_is_refused(string timespan) =>
        Assert.Null(HuntingWindow.Parse(timespan, Now));
}
