using DefenderMcp.Kql.Guard;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlWarningsTests
{
    private static readonly KqlGuardOptions Wide = new() { Timespan = TimeSpan.FromDays(30) };

    private static IReadOnlyList<string> Warnings(string query, KqlGuardOptions? options = null)
    {
        var result = KqlGuard.Check(query, options);
        Assert.True(result.Allowed, result.Rejection);
        return result.Warnings;
    }

    [Fact]
    public void Unknown_table_suggests_the_three_closest_names_right_one_first()
    {
        var warning = Assert.Single(Warnings("DeviceProcessEvent | take 5"));

        Assert.StartsWith("Unknown table 'DeviceProcessEvent'. Did you mean: DeviceProcessEvents, ", warning, StringComparison.Ordinal);
        Assert.EndsWith("?", warning, StringComparison.Ordinal);
        Assert.Equal(3, warning.Split(':')[1].Split(',').Length);
    }

    [Fact]
    public void Table_case_mistakes_are_named()
    {
        Assert.Contains("case-sensitive. Did you mean DeviceInfo", Assert.Single(Warnings("deviceinfo | take 1")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceInfo | take 1")]
    [InlineData("['DeviceInfo'] | take 1")]
    [InlineData("let T = DeviceInfo | take 1; T | take 1")]
    [InlineData("let f = (a:string) { DeviceInfo | where DeviceName == a }; f('x')")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(1d) and FileName =~ 'x' | project Renamed = FileName, DeviceName | where Renamed == 'y'")]
    [InlineData("DeviceLogonEvents | join kind=inner (DeviceInfo | take 1) on DeviceId | take 1")]
    [InlineData("DeviceLogonEvents | join hint.strategy=shuffle (DeviceInfo) on DeviceId")]
    [InlineData("DeviceLogonEvents | lookup kind=leftouter DeviceInfo on DeviceId")]
    [InlineData("DeviceProcessEvents | summarize c = count() by DeviceName | where c > 5")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine has_any ('a', 'b') and isnotempty(AccountName)")]
    [InlineData("let bad = dynamic(['a']); DeviceProcessEvents | where FileName in~ (bad) or FileName !in (bad)")]
    [InlineData("DeviceInfo | where AdditionalFields['x'] == 1 or AdditionalFields.y == 2")]
    [InlineData("DeviceInfo | where DeviceName == $left.x")]
    [InlineData("DeviceInfo | sort by Timestamp desc nulls last | take 10")]
    [InlineData("DeviceInfo | top 5 by Timestamp asc")]
    [InlineData("DeviceInfo | extend Foo = 1 | where Foo == 1")]
    [InlineData("DeviceInfo | where IsAzureADJoined == true and OSPlatform matches regex 'Win'")]
    [InlineData("union DeviceInfo, DeviceNetworkInfo | take 1")]
    [InlineData("union withsource=TableName Device* | take 1")]
    [InlineData("union kind=outer (DeviceInfo | take 1), (EmailEvents | take 1)")]
    [InlineData("(DeviceInfo | take 1)")]
    [InlineData("print x = 1")]
    [InlineData("range x from 1 to 10 step 1")]
    [InlineData("datatable(a:string) ['x'] | take 1")]
    [InlineData("DeviceInfo | search 'x'")]
    [InlineData("search in (DeviceInfo, DeviceNetworkInfo) 'x'")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(1d) | project DeviceId, ProcessTime = Timestamp | join kind=leftanti (DeviceNetworkEvents | where Timestamp > ago(1d)) on $left.DeviceId == $right.DeviceId")]
    [InlineData("DeviceProcessEvents | join kind=rightsemi DeviceNetworkEvents on DeviceId, $left.InitiatingProcessId == $right.InitiatingProcessId and DeviceName")]
    [InlineData("DeviceProcessEvents | where FileName =~ 'x' | join (DeviceNetworkEvents) on DeviceId | where DeviceName1 == 'y' and RemoteIP == '1.2.3.4'")]
    [InlineData("DeviceProcessEvents | where Timestamp > ago(1d) | lookup kind=inner (DeviceInfo | summarize arg_max(Timestamp, OSPlatform) by DeviceId) on DeviceId")]
    [InlineData("DeviceEvents | where ActionType == 'x' | mv-expand F = parse_json(AdditionalFields) to typeof(string) limit 5 | take 1")]
    [InlineData("DeviceEvents | mv-expand kind=array with_itemindex=I AdditionalFields | where I == 0")]
    [InlineData("DeviceProcessEvents | where FileName =~ 'x' | summarize dcountif(DeviceId, FileName == 'y'), make_list_if(FileName, true), arg_max(Timestamp, *) by DeviceName")]
    [InlineData("DeviceProcessEvents | project-away Initiating* | take 1")]
    [InlineData("DeviceProcessEvents | where ProcessCommandLine hasprefix 'x' or FileName !hassuffix '.exe'")]
    [InlineData("DeviceProcessEvents | search kind=case_sensitive FileName:\"x\" or \"y*\"")]
    [InlineData("search kind=case_sensitive in (DeviceProcessEvents, Device*) \"mimikatz\" | summarize count() by $table")]
    [InlineData("union withsource=T DeviceProcessEvents, DeviceNetworkEvents | where T == 'DeviceProcessEvents' | summarize count() by T")]
    [InlineData("DeviceProcessEvents | take 5 | union (DeviceNetworkEvents | take 5) | search '*shell*'")]
    public void Known_tables_and_columns_get_no_warning(string query) => Assert.Empty(Warnings(query));

    [Theory]
    [InlineData("DeviceProcessEvents | where ProcesCommandLine has 'x'", "Unknown column 'ProcesCommandLine' in DeviceProcessEvents. Did you mean: ProcessCommandLine")]
    [InlineData("DeviceProcessEvents | project Timestamp, FileNme", "Unknown column 'FileNme' in DeviceProcessEvents. Did you mean: FileName")]
    [InlineData("DeviceInfo | sort by Timestmp desc", "Unknown column 'Timestmp' in DeviceInfo. Did you mean: Timestamp")]
    [InlineData("DeviceInfo | where Timestamp > ago(1d) | where OsPlatform == 'Windows'", "Unknown column 'OsPlatform' in DeviceInfo. Did you mean: OSPlatform")]
    [InlineData("DeviceInfo | project ['Device Name']", "Unknown column 'Device Name' in DeviceInfo. Did you mean: DeviceName")]
    public void Unknown_columns_on_a_known_table_are_named_with_suggestions(string query, string expected)
    {
        var warning = Assert.Single(Warnings(query));

        Assert.StartsWith(expected, warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceInfo | extend x = 1 | where Nope == 1")]
    [InlineData("DeviceInfo | summarize count() by DeviceId | where Nope > 1")]
    [InlineData("DeviceInfo | project DeviceName | where Nope == 1")]
    [InlineData("let T = DeviceInfo; T | where Nope == 1")]
    public void Columns_are_not_checked_once_they_may_have_changed(string query) => Assert.Empty(Warnings(query));

    [Theory]
    [InlineData("DeviceInfo | join kind=inner (DeviceLogonEvent) on DeviceId", "DeviceLogonEvent")]
    [InlineData("DeviceInfo | lookup DeviceLogonEvent on DeviceId", "DeviceLogonEvent")]
    [InlineData("union DeviceInfo, EmailEvent", "EmailEvent")]
    [InlineData("union (DeviceInfo | take 1), (EmailEvnts | take 1)", "EmailEvnts")]
    [InlineData("DeviceInfo | union isfuzzy=true EmailEvent", "EmailEvent")]
    [InlineData("search in (DeviceInfo, EmailEvent) 'x'", "EmailEvent")]
    [InlineData("search kind=case_sensitive in ((DeviceInfo | take 1), EmailEvnt) 'x'", "EmailEvnt")]
    [InlineData("let x = DeviceProcessEvent | take 1; x", "DeviceProcessEvent")]
    [InlineData("(DeviceProcessEvent | take 1)", "DeviceProcessEvent")]
    [InlineData("DeviceInfo | take 1; EmailEvent | take 1", "EmailEvent")]
    public void Tables_in_joins_unions_lets_and_later_statements_are_checked(string query, string unknown)
    {
        var warning = Assert.Single(Warnings(query));

        Assert.StartsWith($"Unknown table '{unknown}'", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceInfo | take 1", 30, true)]
    [InlineData("DeviceInfo | take 1", 8, true)]
    [InlineData("DeviceInfo | take 1", 7, false)]
    [InlineData("DeviceInfo | take 1", 1, false)]
    [InlineData("DeviceInfo | where Timestamp > ago(1d)", 30, false)]
    [InlineData("DeviceInfo | where ['Timestamp'] > datetime(2024-01-01)", 30, false)]
    [InlineData("DeviceInfo | where x between (1 .. 2)", 30, false)]
    [InlineData("DeviceInfo | where DeviceName == 'Timestamp ago('", 30, true)]
    [InlineData("DeviceInfo // where Timestamp > ago(1d)", 30, true)]
    [InlineData("DeviceProcessEvents | project Timestamp, DeviceName, FileName", 30, true)]
    [InlineData("DeviceInfo | sort by Timestamp desc | take 10", 30, true)]
    [InlineData("DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId", 30, true)]
    [InlineData("DeviceInfo | where Timestamp >= datetime(2026-11-01)", 30, false)]
    [InlineData("DeviceInfo | where datetime(2026-11-01) < Timestamp", 30, false)]
    [InlineData("SigninLogs | where TimeGenerated > startofday(now())", 30, false)]
    public void Warns_when_a_wide_timespan_has_no_time_filter(string query, int days, bool warns)
    {
        var warnings = Warnings(query, new KqlGuardOptions { Timespan = TimeSpan.FromDays(days) });

        Assert.Equal(warns, warnings.Any(w => w.StartsWith("No time filter", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("DeviceInfo | where Timestamp > ago(7d)", 1, "The query looks back ago(7d), but the timespan is P1D: only rows from that timespan are searched; pass timespan P7D to search all of it.")]
    [InlineData("DeviceInfo | where Timestamp > ago(36h)", 1, "The query looks back ago(36h), but the timespan is P1D: only rows from that timespan are searched; pass timespan P1DT12H to search all of it.")]
    [InlineData("DeviceInfo | where Timestamp > ago(90m)", 1.0 / 24, "The query looks back ago(90m), but the timespan is PT1H: only rows from that timespan are searched; pass timespan PT1H30M to search all of it.")]
    [InlineData("DeviceInfo | where Timestamp > ago(1d) | join (DeviceEvents | where Timestamp > ago(14d)) on DeviceId", 7, "The query looks back ago(14d), but the timespan is P7D: only rows from that timespan are searched; pass timespan P14D to search all of it.")]
    [InlineData("DeviceInfo | where Timestamp > ago(90d)", 30, "The query looks back ago(90d), but the timespan is P30D: only rows from that timespan are searched; the longest timespan is P30D.")]
    public void Warns_when_the_query_looks_back_further_than_the_timespan(string query, double days, string expected)
    {
        Assert.Contains(expected, Warnings(query, new KqlGuardOptions { Timespan = TimeSpan.FromDays(days) }));
    }

    // The timespan named is the one the query was sent with, not rounded up (PT25H read "P2D" before), and the one
    // suggested covers the ago() exactly, to the second.
    [Theory]
    [InlineData("DeviceLogonEvents | where Timestamp > ago(30h) | count", "P1DT1H", "ago(30h), but the timespan is P1DT1H: only rows from that timespan are searched; pass timespan P1DT6H to search all of it.")]
    [InlineData("DeviceLogonEvents | where Timestamp > ago(2d) | count", "P1DT12H", "ago(2d), but the timespan is P1DT12H: only rows from that timespan are searched; pass timespan P2D to search all of it.")]
    [InlineData("DeviceLogonEvents | where Timestamp > ago(90m) | count", "PT1H1M", "ago(90m), but the timespan is PT1H1M: only rows from that timespan are searched; pass timespan PT1H30M to search all of it.")]
    [InlineData("DeviceLogonEvents | where Timestamp > ago(1h) | count", "PT1S", "ago(1h), but the timespan is PT1S: only rows from that timespan are searched; pass timespan PT1H to search all of it.")]
    [InlineData("DeviceLogonEvents | where Timestamp > ago(1.3333h) | count", "PT1H", "ago(1.3333h), but the timespan is PT1H: only rows from that timespan are searched; pass timespan PT1H20M to search all of it.")]
    public void The_look_back_warning_names_the_timespan_as_sent_and_the_one_that_covers_the_ago(string query, string timespan, string expected)
    {
        Assert.Contains("The query looks back " + expected, Warnings(query, new KqlGuardOptions { Timespan = System.Xml.XmlConvert.ToTimeSpan(timespan) }));
    }

    [Theory]
    [InlineData("DeviceInfo | where Timestamp > ago(7d)", 7)]
    [InlineData("DeviceInfo | where Timestamp > ago(12h)", 1)]
    [InlineData("DeviceInfo | where Timestamp > ago(100ms)", 1)]
    [InlineData("DeviceInfo | where DeviceName == 'ago(30d)' // ago(30d)", 1)]
    [InlineData("let lookback = 30d; DeviceInfo | where Timestamp > ago(lookback)", 1)]
    public void A_look_back_within_the_timespan_gets_no_warning(string query, double days)
    {
        Assert.DoesNotContain(Warnings(query, new KqlGuardOptions { Timespan = TimeSpan.FromDays(days) }), w => w.StartsWith("The query looks back", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("search * | take 5", "'search *'")]
    [InlineData("union * | take 5", "'union *'")]
    [InlineData("union withsource=T * | take 5", "'union *'")]
    [InlineData("search 'mimikatz'", "'search' without a table")]
    [InlineData("search kind=case_sensitive 'mimikatz'", "'search' without a table")]
    [InlineData("DeviceInfo | take 1; search 'x'", "'search' without a table")]
    [InlineData("find where FileName == 'x'", "'find' without a table")]
    public void Warns_about_scans_of_every_table(string query, string expected)
    {
        var warnings = Warnings(query);

        Assert.Contains(warnings, w => w.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_never_block_and_are_capped()
    {
        var result = KqlGuard.Check("A1 | take 1; B2 | take 1; C3 | take 1; D4 | take 1; E5 | take 1; F6 | take 1; search *", Wide);

        Assert.True(result.Allowed);
        Assert.Null(result.Rejection);
        Assert.Equal(5, result.Warnings.Count);
        Assert.Equal(result.Warnings.Count, result.Warnings.Distinct().Count());
    }

    [Fact]
    public void Search_star_and_no_time_filter_come_together()
    {
        var warnings = Warnings("search * | take 5", Wide);

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("search *", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("30 days", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_for_can_be_called_on_tokens_directly()
    {
        var tokens = KqlLexer.Tokenize("EmailEvent | take 1").Tokens;

        Assert.StartsWith("Unknown table 'EmailEvent'. Did you mean: EmailEvents", Assert.Single(KqlWarnings.For(tokens, new KqlGuardOptions())), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceFileEvents | where Timestamp > ago(1d) | take 10 | project SHA1 | invoke FileProfile()")]
    [InlineData("DeviceFileEvents | where Timestamp > ago(1d) | project SHA1 | invoke FileProfile('SHA1', 500) | where GlobalPrevalence < 15")]
    [InlineData("DeviceNetworkEvents | where Timestamp > ago(1d) | limit 100 | project IP = LocalIP | invoke DeviceFromIP()")]
    [InlineData("AssignedIPAddresses('ctso-fin-lt-011', ago(1d))")]
    [InlineData("let Date = ago(1d); AssignedIPAddresses('x', Date) | project IPAddress | join kind=inner DeviceNetworkEvents on $left.IPAddress == $right.RemoteIP")]
    [InlineData("DeviceInfo | where Timestamp > ago(1d) | where OnboardingStatus <> 'Onboarded' | limit 100 | invoke SeenBy()")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetAnomalousBehaviorsAbout(dynamic([{'Kind': 'Account'}]))")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetAnomalousBehaviorsByKind('Country', 'FirstSeen')")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetAnomalousBehaviorsByValue('jsmith@contoso.com')")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetFirstSeenBehaviors()")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetHighVolumeAnomalyBehaviors()")]
    [InlineData("BehaviorInfo | where Timestamp > ago(1d) | invoke GetUncommonValueBehaviors()")]
    [InlineData("let Enrich = (T:(SHA1:string)) { T | extend Seen = true }; DeviceFileEvents | where Timestamp > ago(1d) | invoke Enrich()")]
    public void Documented_and_let_bound_functions_get_no_warning(string query) => Assert.Empty(Warnings(query, Wide));

    [Theory]
    [InlineData("DeviceFileEvents | take 1 | invoke FileProfil()", "Unknown function 'FileProfil' after invoke. Did you mean: FileProfile")]
    [InlineData("DeviceInfo | take 1 | invoke seenby()", "Unknown function 'seenby' after invoke. Did you mean: SeenBy")]
    [InlineData("DeviceNetworkEvents | take 1 | invoke DeviceFromIp()", "Unknown function 'DeviceFromIp' after invoke. Did you mean: DeviceFromIP")]
    public void Unknown_invoked_functions_are_named_with_suggestions(string query, string expected) =>
        Assert.StartsWith(expected, Assert.Single(Warnings(query)), StringComparison.Ordinal);

    [Fact]
    public void A_function_used_as_a_table_gets_its_call_syntax()
    {
        var warning = Assert.Single(Warnings("DeviceFromIP | take 5"));

        Assert.Equal("'DeviceFromIP' is a function, not a table: call it as 'invoke DeviceFromIP()'.", warning);
    }

    [Theory]
    [InlineData("DeviceTvmSoftwareVulnerabilities | where CveId == 'CVE-2024-3400' | project DeviceName, SoftwareName")]
    [InlineData("EntraIdSignInEvents | where Timestamp > ago(1d) and ErrorCode != 0 | project AccountUpn, IPAddress")]
    [InlineData("ExposureGraphEdges | where EdgeLabel == 'has permissions to' | take 10")]
    [InlineData("DeviceTvmInfoGathering | join kind=inner (DeviceTvmSoftwareVulnerabilities | where CveId == 'CVE-2021-44228') on DeviceId")]
    public void Newly_catalogued_tables_get_no_warning(string query) => Assert.Empty(Warnings(query));
}
