using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Kql.Tests;

public sealed class HuntingSchemaCatalogTests
{
    private static HuntingTableSchema Table(string name) => HuntingSchemaCatalog.Find(name) ?? throw new InvalidOperationException(name);

    private static string[] Documented(string file) =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", file)).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public void Has_every_table_of_the_documented_list_and_no_other()
    {
        var documented = Documented("documented-hunting-tables.txt");

        Assert.Equal(62, documented.Length);
        Assert.Equal(documented.Order(StringComparer.Ordinal), HuntingSchemaCatalog.Tables.Select(t => t.Name));
    }

    [Fact]
    public void Tables_are_in_name_order() =>
        Assert.Equal(HuntingSchemaCatalog.Tables.Select(t => t.Name).Order(StringComparer.Ordinal), HuntingSchemaCatalog.Tables.Select(t => t.Name));

    [Fact]
    public void Every_table_has_a_one_line_purpose_unique_columns_and_known_types()
    {
        string[] types = ["datetime", "string", "long", "int", "bool", "real", "guid", "dynamic"];
        Assert.All(HuntingSchemaCatalog.Tables, table =>
        {
            Assert.False(string.IsNullOrWhiteSpace(table.Purpose));
            Assert.DoesNotContain('\n', table.Purpose);
            Assert.NotEmpty(table.Columns);
            Assert.Equal(table.Columns.Count, table.Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
            Assert.All(table.Columns, c => Assert.Contains(c.Type, types));
            Assert.All(table.Columns, c => Assert.Matches("^[A-Za-z][A-Za-z0-9_]*$", c.Name));
            // Event tables carry a datetime Timestamp; inventories and knowledge bases (DeviceTvm*KB ...) have none.
            Assert.True(table.FindColumn("Timestamp") is null or { Type: "datetime" }, table.Name);
        });
    }

    [Fact]
    public void The_catalog_names_its_source_and_date()
    {
        Assert.Contains("MicrosoftDocs/defender-docs", HuntingSchemaCatalog.Source, StringComparison.Ordinal);
        Assert.Contains("advanced-hunting-schema-tables.md", HuntingSchemaCatalog.Source, StringComparison.Ordinal);
        Assert.True(DateOnly.TryParseExact(HuntingSchemaCatalog.SourceDate, "yyyy-MM-dd", out _), HuntingSchemaCatalog.SourceDate);
        // Where the catalog corrects its page, it says so.
        Assert.Contains("Timestamp", Table("GraphApiAuditEvents").Note, StringComparison.Ordinal);
        Assert.Null(Table("DeviceProcessEvents").Note);
    }

    [Fact]
    public void Every_documented_function_is_listed_with_its_syntax()
    {
        var documented = Documented("documented-hunting-functions.txt");

        Assert.Equal(documented.Order(StringComparer.Ordinal), HuntingSchemaCatalog.Functions.Select(f => f.Name));
        Assert.All(HuntingSchemaCatalog.Functions, f =>
        {
            Assert.Contains(f.Name + "(", f.Syntax, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(f.Purpose));
            Assert.True(f.PassThrough ^ f.Columns.Count > 0, f.Name);
            Assert.Equal(f.Columns.Count, f.Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
            Assert.Null(HuntingSchemaCatalog.Find(f.Name));
        });
        Assert.Equal(["IP", "DeviceId"], HuntingSchemaCatalog.FindFunction("DeviceFromIP")!.Columns.Select(c => c.Name));
        Assert.Equal("int", HuntingSchemaCatalog.FindFunction("FileProfile")!.Columns.Single(c => c.Name == "GlobalPrevalence").Type);
        Assert.Null(HuntingSchemaCatalog.FindFunction("fileprofile"));
        Assert.Equal("FileProfile", HuntingSchemaCatalog.SuggestFunctions("FileProfil")[0]);
    }

    [Theory]
    [InlineData("""{"source":"s","sourceDate":"d","tables":[{"name":"T","purpose":"p","columns":["A"]}],"functions":[]}""", "T.A has no known type")]
    [InlineData("""{"source":"s","sourceDate":"d","tables":[{"name":"T","purpose":"p","columns":["A:varchar"]}],"functions":[]}""", "T.A has no known type")]
    [InlineData("""{"source":"s","sourceDate":"d","tables":[{"name":"T","purpose":"p","columns":["A:string","A:long"]}],"functions":[]}""", "Duplicate column of T: A")]
    [InlineData("""{"source":"s","sourceDate":"d","tables":[{"name":"T","purpose":"p","columns":[]},{"name":"T","purpose":"p","columns":[]}],"functions":[]}""", "Duplicate table: T")]
    [InlineData("""{"source":"s","sourceDate":"d","tables":[],"functions":[{"name":"F","syntax":"F()","purpose":"p","columns":["X:string","X:string"]}]}""", "Duplicate column of F: X")]
    public void A_malformed_catalog_is_refused(string json, string expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);

        var error = Assert.Throws<InvalidOperationException>(() => HuntingSchemaData.Parse(document.RootElement));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceProcessEvents", "ReportId", "long")]
    [InlineData("DeviceNetworkEvents", "ReportId", "long")]
    [InlineData("DeviceInfo", "ReportId", "long")]
    [InlineData("DeviceFileCertificateInfo", "ReportId", "long")]
    [InlineData("EmailEvents", "ReportId", "string")]
    [InlineData("EmailAttachmentInfo", "ReportId", "string")]
    [InlineData("UrlClickEvents", "ReportId", "string")]
    [InlineData("IdentityLogonEvents", "ReportId", "string")]
    [InlineData("IdentityInfo", "ReportId", "string")]
    [InlineData("CloudAppEvents", "ReportId", "string")]
    [InlineData("DeviceProcessEvents", "ProcessId", "long")]
    [InlineData("DeviceProcessEvents", "ProcessCreationTime", "datetime")]
    [InlineData("DeviceProcessEvents", "InitiatingProcessParentCreationTime", "datetime")]
    [InlineData("DeviceProcessEvents", "InitiatingProcessFileSize", "long")]
    [InlineData("DeviceProcessEvents", "InitiatingProcessSignerType", "string")]
    [InlineData("DeviceProcessEvents", "AdditionalFields", "string")]
    [InlineData("DeviceNetworkEvents", "RemotePort", "int")]
    [InlineData("DeviceNetworkEvents", "LocalPort", "int")]
    [InlineData("DeviceNetworkEvents", "IsInitiatingProcessRemoteSession", "bool")]
    [InlineData("DeviceFileEvents", "IsAzureInfoProtectionApplied", "bool")]
    [InlineData("DeviceFileEvents", "RequestSourcePort", "int")]
    [InlineData("DeviceLogonEvents", "IsLocalAdmin", "bool")]
    [InlineData("DeviceLogonEvents", "LogonId", "long")]
    [InlineData("DeviceEvents", "CreatedProcessSessionId", "long")]
    [InlineData("DeviceEvents", "IsProcessRemoteSession", "bool")]
    [InlineData("DeviceInfo", "OSBuild", "long")]
    [InlineData("DeviceInfo", "IsAzureADJoined", "bool")]
    [InlineData("DeviceInfo", "HostDeviceId", "string")]
    [InlineData("DeviceNetworkInfo", "IPAddresses", "string")]
    [InlineData("DeviceFileCertificateInfo", "CertificateExpirationTime", "datetime")]
    [InlineData("DeviceFileCertificateInfo", "IsRootSignerMicrosoft", "bool")]
    [InlineData("AlertInfo", "AttackTechniques", "string")]
    [InlineData("AlertEvidence", "ApplicationId", "int")]
    [InlineData("AlertEvidence", "FileSize", "long")]
    [InlineData("AlertEvidence", "SubscriptionId", "string")]
    [InlineData("EmailEvents", "EmailClusterId", "long")]
    [InlineData("EmailEvents", "BulkComplaintLevel", "int")]
    [InlineData("EmailEvents", "LatestDeliveryAction", "string")]
    [InlineData("EmailAttachmentInfo", "FileSize", "long")]
    [InlineData("EmailUrlInfo", "UrlLocation", "string")]
    [InlineData("EmailPostDeliveryEvents", "ActionResult", "string")]
    [InlineData("UrlClickEvents", "IsClickedThrough", "bool")]
    [InlineData("IdentityLogonEvents", "Port", "int")]
    [InlineData("IdentityLogonEvents", "AdditionalFields", "dynamic")]
    [InlineData("IdentityDirectoryEvents", "ISP", "string")]
    [InlineData("IdentityDirectoryEvents", "DestinationPort", "int")]
    [InlineData("IdentityInfo", "CriticalityLevel", "int")]
    [InlineData("IdentityInfo", "IsAccountEnabled", "bool")]
    [InlineData("IdentityInfo", "CreatedDateTime", "datetime")]
    [InlineData("IdentityInfo", "PrivilegedEntraPimRoles", "dynamic")]
    [InlineData("IdentityInfo", "SourceProviders", "dynamic")]
    [InlineData("CloudAppEvents", "AppInstanceId", "int")]
    [InlineData("CloudAppEvents", "IsAnonymousProxy", "bool")]
    [InlineData("CloudAppEvents", "RawEventData", "dynamic")]
    [InlineData("CloudAppEvents", "OAuthAppId", "string")]
    [InlineData("AADSignInEventsBeta", "IsGuestUser", "bool")]
    [InlineData("AADSignInEventsBeta", "ErrorCode", "int")]
    [InlineData("EntraIdSignInEvents", "IsThroughGlobalSecureAccess", "bool")]
    [InlineData("EntraIdSignInEvents", "LastPasswordChangeTimestamp", "datetime")]
    [InlineData("EntraIdSpnSignInEvents", "IsManagedIdentity", "bool")]
    [InlineData("AIAgentsInfo", "AIAgentId", "guid")]
    [InlineData("DataSecurityEvents", "NetworkMessageId", "guid")]
    [InlineData("DataSecurityBehaviors", "ActionCategory", "string")]
    [InlineData("DeviceBaselineComplianceAssessment", "IsCompliant", "bool")]
    [InlineData("CloudStorageAggregatedEvents", "OperationNamesList", "dynamic")]
    [InlineData("DisruptionAndResponseEvents", "DataSources", "dynamic")]
    [InlineData("DisruptionAndResponseEvents", "TargetDeviceName", "string")]
    [InlineData("DisruptionAndResponseEvents", "CompromisedAccountCount", "int")]
    [InlineData("DeviceTvmSoftwareInventory", "EndOfSupportDate", "datetime")]
    [InlineData("DeviceTvmSoftwareVulnerabilities", "CveTags", "dynamic")]
    [InlineData("DeviceTvmSoftwareVulnerabilitiesKB", "IsExploitAvailable", "bool")]
    [InlineData("DeviceTvmSoftwareVulnerabilitiesKB", "CvssScore", "string")]
    [InlineData("DeviceTvmSecureConfigurationAssessment", "ConfigurationImpact", "real")]
    [InlineData("DeviceTvmSoftwareEvidenceBeta", "DiskPaths", "dynamic")]
    [InlineData("GraphApiAuditEvents", "Timestamp", "datetime")]
    [InlineData("GraphApiAuditEvents", "ResponseSize", "int")]
    [InlineData("IdentityAccountInfo", "IsPrimary", "bool")]
    [InlineData("IdentityQueryEvents", "DestinationPort", "int")]
    [InlineData("MessageEvents", "RecipientDetails", "dynamic")]
    [InlineData("OAuthAppInfo", "RiskScore", "int")]
    [InlineData("ExposureGraphNodes", "NodeProperties", "dynamic")]
    [InlineData("CloudProcessEvents", "LogonId", "long")]
    public void Columns_have_their_documented_types(string table, string column, string type)
    {
        var found = Table(table).FindColumn(column);

        Assert.NotNull(found);
        Assert.Equal(type, found.Type);
    }

    [Theory]
    [InlineData("DeviceEvents", "InitiatingProcessIntegrityLevel")]
    [InlineData("DeviceEvents", "InitiatingProcessTokenElevation")]
    [InlineData("DeviceRegistryEvents", "AdditionalFields")]
    [InlineData("DeviceImageLoadEvents", "AdditionalFields")]
    [InlineData("DeviceImageLoadEvents", "InitiatingProcessSessionId")]
    [InlineData("AlertInfo", "DeviceId")]
    [InlineData("DeviceProcessEvents", "processcommandline")]
    [InlineData("GraphApiAuditEvents", "EntityType ")]
    [InlineData("DeviceTvmSoftwareInventory", "Timestamp")]
    public void Columns_the_docs_do_not_list_are_absent(string table, string column) => Assert.Null(Table(table).FindColumn(column));

    [Fact]
    public void Shared_blocks_expand_in_documented_order()
    {
        var names = Table("DeviceProcessEvents").Columns.Select(c => c.Name).ToList();

        Assert.Equal(["Timestamp", "DeviceId", "DeviceName", "ActionType", "FileName", "FolderPath", "SHA1", "SHA256", "MD5", "FileSize"], names.Take(10));
        Assert.True(names.IndexOf("LogonId") < names.IndexOf("InitiatingProcessAccountDomain"));
        Assert.True(names.IndexOf("InitiatingProcessParentCreationTime") < names.IndexOf("InitiatingProcessLogonId"));
        Assert.True(names.IndexOf("InitiatingProcessSignatureStatus") < names.IndexOf("ReportId"));
        Assert.Equal(["ReportId", "AppGuardContainerId", "AdditionalFields"], names.Skip(names.IndexOf("ReportId")).Take(3));

        var image = Table("DeviceImageLoadEvents").Columns.Select(c => c.Name).ToList();
        Assert.Equal(4 + 6 + 25 + 2, image.Count);
        Assert.Equal(["ReportId", "AppGuardContainerId"], image.TakeLast(2));

        var events = Table("DeviceEvents").Columns.Select(c => c.Name).ToList();
        Assert.Equal(["ProcessRemoteSessionDeviceName", "ProcessRemoteSessionIP"], events.TakeLast(2));
    }

    [Fact]
    public void Find_is_exact_and_find_ignore_case_is_not()
    {
        Assert.Equal("DeviceInfo", HuntingSchemaCatalog.Find("DeviceInfo")?.Name);
        Assert.Null(HuntingSchemaCatalog.Find("deviceinfo"));
        Assert.Null(HuntingSchemaCatalog.Find("DeviceInfo "));
        Assert.Equal("DeviceInfo", HuntingSchemaCatalog.FindIgnoreCase("DEVICEINFO")?.Name);
        Assert.Null(HuntingSchemaCatalog.FindIgnoreCase("DeviceInf"));
        Assert.Null(HuntingSchemaCatalog.Find(""));
    }

    [Theory]
    [InlineData("DeviceProcessEvent", "DeviceProcessEvents")]
    [InlineData("deviceprocessevents", "DeviceProcessEvents")]
    [InlineData("DeviceNetworkEvent", "DeviceNetworkEvents")]
    [InlineData("DeviceNetworkEvnts", "DeviceNetworkEvents")]
    [InlineData("DeviceNetwork", "DeviceNetworkInfo")]
    [InlineData("EmailEvent", "EmailEvents")]
    [InlineData("IdentityLogon", "IdentityLogonEvents")]
    [InlineData("AlertEvidense", "AlertEvidence")]
    [InlineData("UrlClicks", "UrlClickEvents")]
    [InlineData("DeviceRegistyEvents", "DeviceRegistryEvents")]
    [InlineData("DeviceTvmSoftwareVulnerability", "DeviceTvmSoftwareVulnerabilities")]
    [InlineData("EntraIdSignInEvent", "EntraIdSignInEvents")]
    [InlineData("ExposureGraphNode", "ExposureGraphNodes")]
    public void Table_suggestions_put_the_closest_name_first(string typo, string expected)
    {
        var suggestions = HuntingSchemaCatalog.SuggestTables(typo);

        Assert.Equal(3, suggestions.Count);
        Assert.Equal(expected, suggestions[0]);
        Assert.Equal(suggestions.Count, suggestions.Distinct().Count());
    }

    [Fact]
    public void Suggestion_counts_are_honoured_and_long_names_are_cheap()
    {
        Assert.Equal(5, HuntingSchemaCatalog.SuggestTables("Device", 5).Count);
        Assert.Empty(HuntingSchemaCatalog.SuggestTables("Device", 0));
        Assert.Equal(HuntingSchemaCatalog.Tables.Count, HuntingSchemaCatalog.SuggestTables("x", 100).Count);
        Assert.Equal(3, HuntingSchemaCatalog.SuggestTables(new string('D', 10_000)).Count);
        Assert.Equal(3, HuntingSchemaCatalog.SuggestTables(string.Empty).Count);
    }

    [Theory]
    [InlineData("DeviceProcessEvents", "ProcesCommandLine", "ProcessCommandLine")]
    [InlineData("DeviceProcessEvents", "filename", "FileName")]
    [InlineData("DeviceNetworkEvents", "RemoteIp", "RemoteIP")]
    [InlineData("DeviceNetworkEvents", "RemotePrt", "RemotePort")]
    [InlineData("EmailEvents", "Subjct", "Subject")]
    [InlineData("IdentityInfo", "AccountUPN", "AccountUpn")]
    [InlineData("DeviceTvmSoftwareVulnerabilities", "CVEId", "CveId")]
    public void Column_suggestions_put_the_closest_name_first(string table, string typo, string expected)
    {
        var suggestions = HuntingSchemaCatalog.SuggestColumns(Table(table), typo);

        Assert.Equal(3, suggestions.Count);
        Assert.Equal(expected, suggestions[0]);
        Assert.All(suggestions, s => Assert.NotNull(Table(table).FindColumn(s)));
    }

    [Theory]
    [InlineData("datetime", "DateTime")]
    [InlineData("string", "String")]
    [InlineData("long", "Int64")]
    [InlineData("int", "Int32")]
    [InlineData("bool", "Boolean")]
    [InlineData("boolean", "Boolean")]
    [InlineData("real", "Double")]
    [InlineData("timespan", "TimeSpan")]
    [InlineData("guid", "Guid")]
    [InlineData("dynamic", "Object")]
    public void Api_type_names_follow_the_graph_schema(string kqlType, string apiType) =>
        Assert.Equal(apiType, HuntingSchemaCatalog.ApiTypeName(kqlType));

    [Fact]
    public void Every_catalog_type_maps_to_a_distinct_api_type()
    {
        var types = HuntingSchemaCatalog.Tables.SelectMany(t => t.Columns).Select(c => c.Type).Distinct().ToList();

        Assert.Equal(types.Count, types.Select(HuntingSchemaCatalog.ApiTypeName).Distinct().Count());
        Assert.Contains("dynamic", types);
        Assert.Contains("int", types);
    }
}
