using DefenderMcp.Emulator.Data;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>The generated hunting tables: every catalog table, cells of the column's type, the story's rows.</summary>
public sealed class TableDataTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static TenantData Generate(string key, int index) =>
        DataGenerator.Generate(TestTenants.Tenant(key), index, Now);

    public static TheoryData<string> Keys => ["contoso", "fabrikam", "northwind"];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_catalog_table_exists_with_rows_whose_cells_match_the_column_types(string key)
    {
        var data = Generate(key, key == "northwind" ? 7 : key == "fabrikam" ? 1 : 0);

        Assert.Equal(HuntingSchemaCatalog.Tables.Select(t => t.Name).Order(), data.Tables.Keys.Order());
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in data.Tables.Values)
        {
            if (table.Rows.Count == 0)
            {
                problems.Add($"{table.Name} has no rows");
            }

            foreach (var row in table.Rows)
            {
                Assert.Equal(table.Columns.Count, row.Length);
                for (var i = 0; i < row.Length; i++)
                {
                    if (!CellMatches(table.Columns[i].Type, row[i]))
                    {
                        problems.Add($"{table.Name}.{table.Columns[i].Name} ({table.Columns[i].Type}) holds {row[i]?.GetType().Name}");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Device_tables_hold_a_few_thousand_rows_over_thirty_days_and_timestamps_are_utc()
    {
        var data = Generate("contoso", 0);

        foreach (var name in new[] { "DeviceProcessEvents", "DeviceNetworkEvents", "DeviceLogonEvents" })
        {
            var table = data.Tables[name];
            var ts = table.ColumnIndex("Timestamp");
            var times = table.Rows.Select(r => (DateTime)r[ts]!).ToList();
            Assert.InRange(table.Rows.Count, 1000, 20_000);
            Assert.All(times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
            Assert.All(times, t => Assert.InRange(t, Now.AddDays(-30), Now));
            Assert.True(times.Min() < Now.AddDays(-25), $"{name} does not reach back 30 days");
        }
    }

    [Fact]
    public void The_same_key_gives_the_same_data_and_tenants_differ()
    {
        var a = Generate("contoso", 0);
        var b = Generate("contoso", 0);
        var c = Generate("fabrikam", 1);

        Assert.Equal(a.Machines.Select(m => m["computerDnsName"]!.ToString()), b.Machines.Select(m => m["computerDnsName"]!.ToString()));
        Assert.Equal(a.Tables["DeviceProcessEvents"].Rows.Select(r => string.Join('|', r)), b.Tables["DeviceProcessEvents"].Rows.Select(r => string.Join('|', r)));
        Assert.Empty(a.Machines.Select(m => m["id"]!.ToString()).Intersect(c.Machines.Select(m => m["id"]!.ToString())));
        Assert.Empty(a.Incidents.Select(m => m["id"]!.ToString()).Intersect(c.Incidents.Select(m => m["id"]!.ToString())));
    }

    private static bool CellMatches(string type, object? cell) => cell is null || type switch
    {
        "string" or "dynamic" or "guid" => cell is string,
        "long" => cell is long,
        "int" => cell is int,
        "bool" => cell is bool,
        "real" => cell is double,
        "datetime" => cell is DateTime { Kind: DateTimeKind.Utc },
        _ => false,
    };
}
