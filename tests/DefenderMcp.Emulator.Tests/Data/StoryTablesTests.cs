using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>
/// The tables beyond the device and email ones: every documented table answers a query with its columns, and the
/// story shows through them (the CVE on the compromised laptops, the stolen sign-in, the containment).
/// </summary>
public sealed class StoryTablesTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<TenantData> Contoso = new(() => DataGenerator.Generate(TestTenants.Tenant("contoso"), 0, Now));

    public static TheoryData<string> DocumentedTables => [.. HuntingSchemaCatalog.Tables.Select(t => t.Name)];

    private static HuntingQueryResult Hunt(string query, TenantData? data = null) =>
        HuntingEngine.Execute(query, (data ?? Contoso.Value).Tables, Now.AddDays(-30), Now);

    private static List<object?> Column(HuntingQueryResult result, string name)
    {
        var index = result.Schema.ToList().FindIndex(c => c.Name == name);
        Assert.True(index >= 0, name);
        return [.. result.Rows.Select(r => r[index])];
    }

    [Theory]
    [MemberData(nameof(DocumentedTables))]
    public void Every_documented_table_answers_a_query_with_its_columns(string table)
    {
        var result = Hunt($"{table} | take 5");

        Assert.Equal(HuntingSchemaCatalog.Find(table)!.Columns.Select(c => c.Name), result.Schema.Select(c => c.Name));
        Assert.NotEmpty(result.Rows);
    }

    [Fact]
    public void The_story_cve_finds_the_finance_and_hr_laptops_and_the_compromised_one_among_them()
    {
        var devices = Column(Hunt($"DeviceTvmSoftwareVulnerabilities | where CveId == '{VulnerabilityCatalog.StoryCve}' | distinct DeviceName"), "DeviceName").Cast<string>().ToList();
        var victim = Contoso.Value.Machines.Select(m => m["computerDnsName"]!.ToString()).First(n => n.Contains("-fin-lt-", StringComparison.Ordinal));

        Assert.Equal(6, devices.Count);
        Assert.All(devices, d => Assert.Matches("^ctso-(fin|hr)-lt-[0-9]{3}\\.contoso\\.com$", d));
        Assert.Contains(victim, devices);
    }

    [Fact]
    public void Inventory_vulnerabilities_and_the_knowledge_base_agree()
    {
        var vulnerable = Hunt($"DeviceTvmSoftwareVulnerabilities | where CveId == '{VulnerabilityCatalog.StoryCve}' | distinct DeviceId, SoftwareName, SoftwareVersion");
        var inventory = Hunt("DeviceTvmSoftwareInventory | where SoftwareName == 'office' and SoftwareVersion == '16.0.16529.20182' | distinct DeviceId");
        var kb = Hunt($"DeviceTvmSoftwareVulnerabilitiesKB | where CveId == '{VulnerabilityCatalog.StoryCve}'");
        var current = Hunt("DeviceTvmSoftwareInventory | where SoftwareName == 'office' and SoftwareVersion != '16.0.16529.20182'");

        Assert.Equal(Column(vulnerable, "DeviceId").Order(), Column(inventory, "DeviceId").Order());
        Assert.All(Column(vulnerable, "SoftwareName"), n => Assert.Equal("office", n));
        Assert.Equal("High", Assert.Single(Column(kb, "VulnerabilitySeverityLevel")));
        Assert.Equal(true, Assert.Single(Column(kb, "IsExploitAvailable")));
        Assert.NotEmpty(current.Rows);
        Assert.Empty(Column(current, "DeviceId").Intersect(Column(vulnerable, "DeviceId")));
    }

    [Fact]
    public void The_stolen_sign_in_comes_from_the_attacker_and_both_sign_in_tables_hold_it()
    {
        var names = StoryNames.For("contoso", 0);
        const string Query = "| where IPAddress == '185.220.101.47' | project AccountUpn, Country, RiskLevelAggregated, RiskState";
        var entra = Hunt("EntraIdSignInEvents " + Query);
        var beta = Hunt("AADSignInEventsBeta " + Query);

        Assert.Equal(2, entra.Rows.Count);
        Assert.All(Column(entra, "AccountUpn"), u => Assert.Equal($"{names.Users[0]}@{names.Domain}", u));
        Assert.All(Column(entra, "RiskLevelAggregated"), r => Assert.Equal(100, r));
        Assert.Equal(entra.Rows.Select(r => string.Join('|', r)), beta.Rows.Select(r => string.Join('|', r)));
        Assert.Equal(Hunt("EntraIdSignInEvents | count").Rows[0][0], Hunt("AADSignInEventsBeta | count").Rows[0][0]);
    }

    [Fact]
    public void The_phished_user_is_contained_on_the_file_server_after_the_lateral_movement()
    {
        var start = Now.AddHours(-20);
        var logon = Hunt("DeviceLogonEvents | where LogonType == 'Network' and IsLocalAdmin == true and AccountName == 'adele.vance' | project Timestamp, DeviceName");
        var contained = Hunt("DisruptionAndResponseEvents | where SourceUserName == 'adele.vance' | project Timestamp, ActionType, TargetDeviceName, ReportType");

        Assert.Equal(3, contained.Rows.Count);
        Assert.All(Column(contained, "TargetDeviceName"), d => Assert.Equal(Column(logon, "DeviceName")[0], d));
        Assert.All(Column(contained, "Timestamp"), t => Assert.True((DateTime)t! > (DateTime)Column(logon, "Timestamp")[0]!));
        Assert.Contains("ContainedUserLogonBlocked", Column(contained, "ActionType"));
        Assert.Equal(start.AddMinutes(80), Column(contained, "Timestamp").Cast<DateTime>().Min());
    }

    [Fact]
    public void Recon_behaviors_and_the_exposure_graph_name_the_story_entities()
    {
        var recon = Hunt("IdentityQueryEvents | where QueryTarget == 'Domain Admins' | project AccountName, DeviceName");
        var behavior = Hunt("BehaviorEntities | where EntityType == 'Ip' | project RemoteIP");
        var affecting = Hunt($"ExposureGraphEdges | where EdgeLabel == 'affecting' and SourceNodeName == '{VulnerabilityCatalog.StoryCve}' | project TargetNodeName");
        var exposed = Column(Hunt($"DeviceTvmSoftwareVulnerabilities | where CveId == '{VulnerabilityCatalog.StoryCve}' | distinct DeviceName"), "DeviceName");

        Assert.Equal("adele.vance", Assert.Single(Column(recon, "AccountName")));
        Assert.Contains("-fin-lt-", (string)Column(recon, "DeviceName")[0]!, StringComparison.Ordinal);
        Assert.Equal("185.220.101.47", Assert.Single(Column(behavior, "RemoteIP")));
        Assert.Equal(exposed.Order(), Column(affecting, "TargetNodeName").Order());
    }

    [Fact]
    public void The_new_tables_are_the_same_for_the_same_key_and_differ_between_tenants()
    {
        var again = DataGenerator.Generate(TestTenants.Tenant("contoso"), 0, Now);
        var other = DataGenerator.Generate(TestTenants.Tenant("fabrikam"), 1, Now);

        foreach (var table in new[] { "DeviceTvmSoftwareVulnerabilities", "EntraIdSignInEvents", "CloudDnsEvents", "MessageEvents", "DeviceTvmSecureConfigurationAssessment", "ExposureGraphEdges" })
        {
            string Rows(TenantData data) => string.Join('\n', data.Tables[table].Rows.Select(r => string.Join('|', r)));
            Assert.Equal(Rows(Contoso.Value), Rows(again));
            Assert.NotEqual(Rows(Contoso.Value), Rows(other));
        }

        Assert.Equal(
            Contoso.Value.Tables["DeviceInfo"].Rows.Select(r => r[Contoso.Value.Tables["DeviceInfo"].ColumnIndex("LoggedOnUsers")]),
            again.Tables["DeviceInfo"].Rows.Select(r => r[again.Tables["DeviceInfo"].ColumnIndex("LoggedOnUsers")]));
    }

    // Before, guid columns were typed string, so the schema said String where the catalog says Guid; their cells are
    // still the text form, and they compare with a string as text.
    [Fact]
    public void Guid_columns_are_typed_guid_and_hold_their_text_form()
    {
        var result = Hunt("AIAgentsInfo | where AgentStatus == 'Published' | project AIAgentId, AIAgentName");
        var id = (string)Column(result, "AIAgentId").First()!;

        Assert.Equal("guid", result.Schema[0].Type);
        Assert.Single(Hunt($"AIAgentsInfo | where AIAgentId == '{id}' | project AIAgentId").Rows);
        Assert.Single(Hunt($"AIAgentsInfo | where AIAgentId == guid({id}) | project AIAgentId").Rows);
        Assert.Equal(2, result.Rows.Count);
        Assert.All(Column(result, "AIAgentId"), id => Assert.True(Guid.TryParse((string)id!, out _)));
    }

    // A guid literal was typed string, so it compared as text: an upper-case literal missed its row, and guids could be
    // ordered. In Kusto a guid literal is of type guid; guids are equal by value, and < > do not apply to them.
    [Fact]
    public void A_guid_literal_is_typed_guid_and_equals_a_guid_column_by_value()
    {
        var id = (string)Column(Hunt("AIAgentsInfo | where AgentStatus == 'Published' | project AIAgentId"), "AIAgentId").First()!;
        var upper = id.ToUpperInvariant();

        Assert.Equal("guid", Hunt($"AIAgentsInfo | take 1 | project G = guid({upper})").Schema[0].Type);
        Assert.Equal(id, Column(Hunt($"AIAgentsInfo | take 1 | project G = guid({upper})"), "G").Single());
        Assert.Single(Hunt($"AIAgentsInfo | where AIAgentId == guid({upper}) | project AIAgentId").Rows);
        Assert.Single(Hunt($"AIAgentsInfo | where AIAgentId in (guid({upper})) | project AIAgentId").Rows);
        Assert.Empty(Hunt($"AIAgentsInfo | where AIAgentId == guid({upper}) and AIAgentId != guid({id}) | project AIAgentId").Rows);
        Assert.Contains("guids are only equal or not", Assert.ThrowsAny<Exception>(() => Hunt($"AIAgentsInfo | where AIAgentId < guid({id})")).Message, StringComparison.Ordinal);
    }
}
