using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>
/// <see cref="HuntingFixture"/>'s tables plus the two tables of the Kusto join documentation and a small network table:
/// X (Key, Value1): a 1, b 2, b 3, c 4. Y (Key, Value2): b 10, c 20, c 30, d 40.
/// Net (Timestamp, Device, RemoteIP, Port, Pid): -1h pc1 1.1.1.1 443 10; -90m pc1 2.2.2.2 80 99; -3h pc2 3.3.3.3 443 30;
/// -4h pc9 9.9.9.9 22 40; -50d pc1 8.8.8.8 53 10 (outside the window).
/// </summary>
internal static class RelationalTables
{
    public static Dictionary<string, HuntingTable> Tables()
    {
        var tables = HuntingFixture.Tables();
        var x = new HuntingTable("X", [new("Key", "string"), new("Value1", "long")]);
        x.Rows.AddRange([["a", 1L], ["b", 2L], ["b", 3L], ["c", 4L]]);
        var y = new HuntingTable("Y", [new("Key", "string"), new("Value2", "long")]);
        y.Rows.AddRange([["b", 10L], ["c", 20L], ["c", 30L], ["d", 40L]]);
        var now = HuntingFixture.Now;
        var net = new HuntingTable("Net", [new("Timestamp", "datetime"), new("Device", "string"), new("RemoteIP", "string"), new("Port", "long"), new("Pid", "int")]);
        net.Rows.AddRange([
            [now.AddHours(-1), "pc1", "1.1.1.1", 443L, 10],
            [now.AddMinutes(-90), "pc1", "2.2.2.2", 80L, 99],
            [now.AddHours(-3), "pc2", "3.3.3.3", 443L, 30],
            [now.AddHours(-4), "pc9", "9.9.9.9", 22L, 40],
            [now.AddDays(-50), "pc1", "8.8.8.8", 53L, 10],
        ]);
        tables["X"] = x;
        tables["Y"] = y;
        tables["Net"] = net;
        return tables;
    }

    public static HuntingQueryResult Query(string query, int maxBuildRows = HuntingEngine.MaxJoinBuildRows) =>
        HuntingEngine.Execute(query, Tables(), HuntingFixture.Now.AddDays(-30), HuntingFixture.Now, HuntingFixture.Now, maxBuildRows);

    public static HuntingQueryException Refused(string query, int maxBuildRows = HuntingEngine.MaxJoinBuildRows) =>
        Assert.Throws<HuntingQueryException>(() => Query(query, maxBuildRows));

    /// <summary>The rows as arrays, for exact comparison.</summary>
    public static object?[][] Rows(HuntingQueryResult result) => [.. result.Rows];
}
