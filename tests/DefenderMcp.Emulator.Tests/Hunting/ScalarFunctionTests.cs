using DefenderMcp.Emulator.Hunting;
using static DefenderMcp.Emulator.Tests.Hunting.HuntingFixture;

namespace DefenderMcp.Emulator.Tests.Hunting;

public sealed class ScalarFunctionTests
{
    // Row 1 only: 11:00 on 2026-01-10, pc1, powershell.exe, Size 100, Pid 10, Score 0.5.
    private static HuntingQueryResult First(string projection) => Run($"Proc | where Device == 'pc1' and Admin | project {projection}");

    [Theory]
    [InlineData("X = toupper(Device)", "string", "PC1")]
    [InlineData("X = tolower('AbC')", "string", "abc")]
    [InlineData("X = tostring(Size)", "string", "100")]
    [InlineData("X = tostring(Score)", "string", "0.5")]
    [InlineData("X = tostring(Timestamp)", "string", "2026-01-10T11:00:00.0000000Z")]
    [InlineData("X = strcat(Device, ':', File, '#', Size)", "string", "pc1:powershell.exe#100")]
    [InlineData("X = iff(Size > 60, 'big', 'small')", "string", "big")]
    [InlineData("X = iif(Size > 600, 'big', 'small')", "string", "small")]
    [InlineData("X = substring(File, 0, 5)", "string", "power")]
    [InlineData("X = substring(File, 11)", "string", "exe")]
    [InlineData("X = replace_string(Cmd, 'AAA', 'B')", "string", "powershell -enc B")]
    [InlineData("X = 'a' 'b'", "string", "ab")]
    [InlineData("X = guid(5BD2A6D1-5d2c-4f6b-8c0a-9d5f0e6c3b21)", "guid", "5bd2a6d1-5d2c-4f6b-8c0a-9d5f0e6c3b21")]
    public void String_functions(string projection, string type, string expected)
    {
        var result = First(projection);

        Assert.Equal(type, TypeOf(result, "X"));
        Assert.Equal(expected, Single(result, "X"));
    }

    [Theory]
    [InlineData("X = strlen(Cmd)", "long", 19L)]
    [InlineData("X = tolong('7')", "long", 7L)]
    [InlineData("X = tolong(Score * 10)", "long", 5L)]
    [InlineData("X = Size / 3", "long", 33L)]
    [InlineData("X = Size % 7", "long", 2L)]
    [InlineData("X = -Size", "long", -100L)]
    [InlineData("X = Size + Pid", "long", 110L)]
    [InlineData("X = bin(Size, 30)", "long", 90L)]
    [InlineData("X = floor(Size, 40)", "long", 80L)]
    [InlineData("X = 0x10 + 1", "long", 17L)]
    [InlineData("X = long(5)", "long", 5L)]
    public void Long_functions(string projection, string type, long expected)
    {
        var result = First(projection);

        Assert.Equal(type, TypeOf(result, "X"));
        Assert.Equal(expected, Single(result, "X"));
    }

    [Theory]
    [InlineData("X = toint('42')", 42)]
    [InlineData("X = toint(Size)", 100)]
    [InlineData("X = Pid + Pid", 20)]
    [InlineData("X = Pid * 3", 30L)]
    [InlineData("X = int(7)", 7)]
    public void Int_functions_stay_int_until_mixed_with_long(string projection, object expected)
    {
        var result = First(projection);

        Assert.Equal(expected is int ? "int" : "long", TypeOf(result, "X"));
        Assert.Equal(expected, Single(result, "X"));
    }

    [Theory]
    [InlineData("X = Size / 3.0", 100 / 3.0)]
    [InlineData("X = Score * 2", 1.0)]
    [InlineData("X = toreal('1.25')", 1.25)]
    [InlineData("X = 1e3", 1000.0)]
    public void Real_functions(string projection, double expected)
    {
        var result = First(projection);

        Assert.Equal("real", TypeOf(result, "X"));
        Assert.Equal(expected, (double)Single(result, "X")!, 10);
    }

    [Fact]
    public void Datetime_and_timespan_functions()
    {
        var result = First("Hour = bin(Timestamp, 1h), Day = bin(Timestamp, 1d), Ago = ago(1h), N = now(), D = datetime(2024-01-02 03:04:05), Age = now() - Timestamp, Later = Timestamp + 1d, Earlier = Timestamp - 30m, Start = startofday(Timestamp), Back = now(-1d), Parsed = todatetime('2024-03-26T09:39:50.7688641Z')");
        var row = Assert.Single(result.Rows);

        Assert.Equal(["datetime", "datetime", "datetime", "datetime", "datetime", "timespan", "datetime", "datetime", "datetime", "datetime", "datetime"], Types(result));
        Assert.Equal(new DateTime(2026, 1, 10, 11, 0, 0, DateTimeKind.Utc), row[0]);
        Assert.Equal(new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc), row[1]);
        Assert.Equal(Now.AddHours(-1), row[2]);
        Assert.Equal(Now, row[3]);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), row[4]);
        Assert.Equal(TimeSpan.FromHours(1), row[5]);
        Assert.Equal(Now.AddHours(23), row[6]);
        Assert.Equal(Now.AddMinutes(-90), row[7]);
        Assert.Equal(Now.Date, row[8]);
        Assert.Equal(Now.AddDays(-1), row[9]);
        Assert.Equal(new DateTime(2024, 3, 26, 9, 39, 50, DateTimeKind.Utc).AddTicks(7688641), row[10]);
    }

    [Fact]
    public void Bin_floors_unaligned_datetimes()
    {
        var tables = Tables();
        tables["Proc"].Rows.Add([new DateTime(2026, 1, 10, 7, 59, 59, 999, DateTimeKind.Utc), "pc7", "a", "b", 1L, false, 1, 1.0, null]);

        var result = HuntingEngine.Execute("Proc | where Device == 'pc7' | project H = bin(Timestamp, 1h), M = bin(Timestamp, 15m)", tables, Now.AddDays(-1), Now);

        Assert.Equal(new DateTime(2026, 1, 10, 7, 0, 0, DateTimeKind.Utc), Single(result, "H"));
        Assert.Equal(new DateTime(2026, 1, 10, 7, 45, 0, DateTimeKind.Utc), Single(result, "M"));
    }

    [Theory]
    [InlineData("X = isempty('')", true)]
    [InlineData("X = isnotempty(File)", true)]
    [InlineData("X = isnull(Score)", false)]
    [InlineData("X = isnotnull(Score)", true)]
    [InlineData("X = Size > 60", true)]
    [InlineData("X = File has 'powershell'", true)]
    [InlineData("X = not(Admin)", false)]
    [InlineData("X = tobool('true')", true)]
    [InlineData("X = Device in ('pc2')", false)]
    public void Predicates_as_values_are_bool(string projection, bool expected)
    {
        var result = First(projection);

        Assert.Equal("bool", TypeOf(result, "X"));
        Assert.Equal(expected, Single(result, "X"));
    }

    [Fact]
    public void Conversions_that_fail_give_null_and_nulls_propagate()
    {
        var result = Run("Proc | where Device == 'pc2' | project A = toint('abc'), B = Score + 1, C = tolong(Score), D = coalesce(Score, 9.5), E = tostring(Score)");

        Assert.Equal(new object?[] { null, null, null, 9.5, string.Empty }, Assert.Single(result.Rows));
    }

    [Fact]
    public void Iff_and_coalesce_widen_mixed_numbers_to_one_type()
    {
        var result = Run("Proc | project A = iff(Admin, Pid, Size), B = coalesce(Score, Pid), C = iff(Admin, 1, 2.5)");

        Assert.Equal(["long", "real", "real"], Types(result));
        Assert.Equal([10L, 50L, 300L, 10L], Column(result, "A"));
        Assert.Equal([0.5, 1.5, 30.0, 2.0], Column(result, "B"));
        Assert.Equal([1.0, 2.5, 2.5, 2.5], Column(result, "C"));
        Assert.Equal(3, Run("Proc | extend A = iff(Admin, Pid, Size) | where A >= 10 and A < 100").Rows.Count);
    }

    [Fact]
    public void Extract_split_and_array_functions()
    {
        var result = First("E = extract(@'-(\\w+) (\\w+)', 2, Cmd), None = extract('zzz(x)', 1, Cmd), S = split(Cmd, ' '), S1 = split(Cmd, ' ', 1), Far = split(Cmd, ' ', 9), N = array_length(Tags), NotArray = array_length(File), H = hourofday(Timestamp)");
        var row = Assert.Single(result.Rows);

        Assert.Equal(["string", "string", "dynamic", "dynamic", "dynamic", "long", "long", "int"], Types(result));
        Assert.Equal(new object?[] { "AAA", null, "[\"powershell\",\"-enc\",\"AAA\"]", "[\"-enc\"]", "[]", 2L, null, 11 }, row);
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.10.20", true)]
    [InlineData("8.8.8.8", false)]
    public void Ipv4_is_private(string address, bool expected) =>
        Assert.Equal(expected, Single(First($"X = ipv4_is_private('{address}')"), "X"));

    [Fact]
    public void Division_by_zero_is_null_for_integers()
    {
        Assert.Null(Single(First("X = Size / 0"), "X"));
        Assert.Equal(double.PositiveInfinity, Single(First("X = Size / 0.0"), "X"));
    }
}
