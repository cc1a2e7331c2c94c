using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests.Data;

public sealed class MachineActionStoreTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly JsonObject Machine = new() { ["id"] = new string('a', 40), ["computerDnsName"] = "ctso-fin-lt-011.contoso.com" };

    [Fact]
    public void Status_follows_time_pending_in_progress_succeeded()
    {
        var store = new MachineActionStore(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        var id = store.Create(Machine, "Isolate", "Full", "contain", "app", null, T0)["id"]!.GetValue<string>();

        Assert.Equal("Pending", Status(store, id, T0.AddSeconds(1.9)));
        Assert.Equal("InProgress", Status(store, id, T0.AddSeconds(2)));
        Assert.Equal("InProgress", Status(store, id, T0.AddSeconds(4.9)));
        Assert.Equal("Succeeded", Status(store, id, T0.AddSeconds(5)));
        Assert.Equal("2026-03-01T12:00:05.0000000Z", store.Find(id, T0.AddHours(1))!["lastUpdateDateTimeUtc"]!.GetValue<string>());
    }

    [Fact]
    public void Only_one_unfinished_action_per_machine_and_type()
    {
        var store = new MachineActionStore(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        store.Create(Machine, "Isolate", "Full", "contain", "app", null, T0);

        Assert.True(store.HasActive(Machine["id"]!.GetValue<string>(), "Isolate", T0.AddSeconds(4)));
        Assert.False(store.HasActive(Machine["id"]!.GetValue<string>(), "RunAntiVirusScan", T0.AddSeconds(4)));
        Assert.False(store.HasActive(Machine["id"]!.GetValue<string>(), "Isolate", T0.AddSeconds(5)));
    }

    [Theory]
    [InlineData("Succeeded", true)]
    [InlineData("Failed", true)]
    [InlineData("TimeOut", true)]
    [InlineData("Cancelled", true)]
    [InlineData("Pending", false)]
    [InlineData("InProgress", false)]
    public void Final_states(string status, bool final) => Assert.Equal(final, MachineActionStore.IsFinal(status));

    private static string Status(MachineActionStore store, string id, DateTime now) => store.Find(id, now)!["status"]!.GetValue<string>();
}
