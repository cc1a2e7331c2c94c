namespace DefenderMcp.Kql.Tests;

public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("actions", "actions", 0)]
    [InlineData("protected_device", "protected_devices", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("DeviceLogonEvent", "DeviceLogonEvents", 1)]
    [InlineData("flaw", "lawn", 2)]
    public void Counts_the_fewest_single_character_edits(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }
}
