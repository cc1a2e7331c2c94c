using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>Small known tables (built fresh per call, so tests stay parallel-safe) and helpers.</summary>
internal static class HuntingFixture
{
    public static readonly DateTime Now = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Proc (in a 30-day window: rows 1-4; row 5 is 40 days old):
    /// 1: -1h pc1 powershell.exe "powershell -enc AAA" 100 admin  pid 10 score 0.5  tags ["a","b"]
    /// 2: -2h pc1 cmd.exe        "cmd /c whoami"       50         pid 20 score 1.5
    /// 3: -3h pc2 PowerShell.exe "PowerShell.exe -File x.ps1" 300 pid 30 score null tags []
    /// 4: -2d pc3 chrome.exe     "chrome.exe --type=renderer" 10  pid 40 score 2.0
    /// 5: -40d pc4 old.exe "old" 1 pid 50 score 3.0
    /// Info (no Timestamp): two devices.
    /// Events: AdditionalFields objects (Command, Count, Nested.Level, List) and a JSON-text string column Raw.
    /// </summary>
    public static Dictionary<string, HuntingTable> Tables()
    {
        var proc = new HuntingTable("Proc", [
            new("Timestamp", "datetime"), new("Device", "string"), new("File", "string"), new("Cmd", "string"), new("Size", "long"),
            new("Admin", "bool"), new("Pid", "int"), new("Score", "real"), new("Tags", "dynamic"),
        ]);
        proc.Rows.Add([Now.AddHours(-1), "pc1", "powershell.exe", "powershell -enc AAA", 100L, true, 10, 0.5, "[\"a\",\"b\"]"]);
        proc.Rows.Add([Now.AddHours(-2), "pc1", "cmd.exe", "cmd /c whoami", 50L, false, 20, 1.5, null]);
        proc.Rows.Add([Now.AddHours(-3), "pc2", "PowerShell.exe", "PowerShell.exe -File x.ps1", 300L, false, 30, null, "[]"]);
        proc.Rows.Add([Now.AddDays(-2), "pc3", "chrome.exe", "chrome.exe --type=renderer", 10L, false, 40, 2.0, null]);
        proc.Rows.Add([Now.AddDays(-40), "pc4", "old.exe", "old", 1L, false, 50, 3.0, null]);

        var info = new HuntingTable("Info", [new("DeviceName", "string"), new("OSPlatform", "string")]);
        info.Rows.Add(["pc1", "Windows11"]);
        info.Rows.Add(["pc2", "Windows10"]);

        var events = new HuntingTable("Events", [new("Timestamp", "datetime"), new("AdditionalFields", "dynamic"), new("Raw", "string")]);
        events.Rows.Add([Now.AddHours(-1), "{\"Command\":\"Invoke-Mimikatz\",\"Count\":3,\"Nested\":{\"Level\":\"high\"},\"List\":[1,2]}", "{\"k\":\"v\"}"]);
        events.Rows.Add([Now.AddHours(-2), "{\"Command\":\"whoami\",\"Count\":1}", "not json"]);
        events.Rows.Add([Now.AddHours(-3), null, null]);

        return new Dictionary<string, HuntingTable>(StringComparer.Ordinal) { ["Proc"] = proc, ["Info"] = info, ["Events"] = events };
    }

    public static HuntingQueryResult Run(string query, TimeSpan? window = null) =>
        HuntingEngine.Execute(query, Tables(), Now - (window ?? TimeSpan.FromDays(30)), Now);

    public static HuntingQueryException Fails(string query) => Assert.Throws<HuntingQueryException>(() => Run(query));

    public static List<object?> Column(HuntingQueryResult result, string name)
    {
        var index = Index(result, name);
        return [.. result.Rows.Select(r => r[index])];
    }

    public static object? Single(HuntingQueryResult result, string name) => Assert.Single(result.Rows)[Index(result, name)];

    public static string[] Names(HuntingQueryResult result) => [.. result.Schema.Select(c => c.Name)];

    public static string[] Types(HuntingQueryResult result) => [.. result.Schema.Select(c => c.Type)];

    public static string TypeOf(HuntingQueryResult result, string name) => result.Schema[Index(result, name)].Type;

    private static int Index(HuntingQueryResult result, string name)
    {
        var index = result.Schema.ToList().FindIndex(c => c.Name == name);
        Assert.True(index >= 0, $"no column {name} in [{string.Join(", ", Names(result))}]");
        return index;
    }
}
