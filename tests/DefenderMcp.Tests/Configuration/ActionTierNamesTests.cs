using DefenderMcp.Configuration;

namespace DefenderMcp.Tests.Configuration;

/// <summary>A tier shown back to the user (tools command, start-up audit line) is a name the configuration accepts.</summary>
public sealed class ActionTierNamesTests
{
    [Theory]
    [InlineData(ActionTier.Read, "read")]
    [InlineData(ActionTier.Respond, "respond")]
    [InlineData(ActionTier.LiveResponse, "live_response")]
    public void Each_tier_shows_as_the_name_that_configures_it(ActionTier tier, string name)
    {
        Assert.Equal(name, tier.ConfigName());

        var problems = new List<string>();
        var policy = PolicyReader.Read(tier.ConfigName(), null, null, null, null, s => s, problems);
        Assert.Empty(problems);
        Assert.Equal(tier, policy.Actions);
    }
}
