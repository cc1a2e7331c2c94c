using System.Globalization;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Rows of the Defender Vulnerability Management tables (DeviceTvm*, DeviceBaselineCompliance*): each device's
/// software, the CVEs of the vulnerable installs, configuration assessments, hardware, certificates and browser
/// extensions. Software, versions, CVEs, fixing KBs and end of support are READ from the one catalog
/// (<see cref="VulnerabilityCatalog"/>) and the tenant's <see cref="SoftwareInventory"/>, the source the vulnerability
/// APIs answer from, so a hunt and the APIs agree: the story's CVE is on every finance and HR laptop, the phished
/// user's among them, so <c>DeviceTvmSoftwareVulnerabilities | where CveId == ...</c> finds the compromised device.
/// </summary>
public static class TvmRows
{
    private static readonly (string Id, string Name, string Category, string Subcategory, double Impact, string Risk, string Remediation)[] Configurations =
    [
        ("scid-2010", "Turn on Microsoft Defender Antivirus real-time protection", "Security controls", "Antivirus", 9, "Malware runs unnoticed while real-time protection is off.", "Turn real-time protection on through Intune or Group Policy."),
        ("scid-2012", "Update Microsoft Defender Antivirus definitions", "Security controls", "Antivirus", 7, "Old definitions miss recent malware.", "Let devices reach the definition update source."),
        ("scid-91", "Disable 'Always install with elevated privileges'", "OS", "Policy", 8, "Any user can install packages with SYSTEM rights.", "Set AlwaysInstallElevated to 0."),
        ("scid-5001", "Block Office applications from creating child processes", "Security controls", "Attack surface reduction", 6, "Office macros and exploits start script hosts (the story's PowerShell).", "Turn on the attack surface reduction rule in block mode."),
        ("scid-39", "Disable SMBv1 client driver", "Network", "SMB", 5, "SMBv1 is exploitable and unneeded.", "Disable the mrxsmb10 driver."),
    ];

    private static readonly (string Name, string Id, string Risk, string Vendor, string[] Permissions)[] Extensions =
    [
        ("Microsoft Editor", "hokifickgkhplphjiodbggjmoafhignh", "Low", "Microsoft Corporation", ["storage", "activeTab"]),
        ("Adblock Plus", "cfhdojbkjhnklbpkdaibdccddilifddb", "Medium", "eyeo GmbH", ["tabs", "webRequest", "storage"]),
        ("PDF Converter Online", "lkbhjmdiehbbhdjlbmaedmpbabmkpjbd", "High", "Unknown publisher", ["<all_urls>", "cookies", "webRequest", "tabs"]),
    ];

    /// <summary>Adds every DeviceTvm* and DeviceBaselineCompliance* row.</summary>
    public static void Add(HuntingRowContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var installs = SoftwareInventory.Build(c.Devices.Select(d => d.Machine)).Installations.ToLookup(i => i.DeviceId, StringComparer.OrdinalIgnoreCase);
        foreach (var d in c.Devices)
        {
            foreach (var install in installs[d.Id])
            {
                AddInstall(c, d, install);
            }

            AddDeviceState(c, d);
        }

        foreach (var cve in VulnerabilityCatalog.Vulnerabilities)
        {
            var affected = VulnerabilityCatalog.Software.Where(s => s.Cves.Contains(cve.Id, StringComparer.OrdinalIgnoreCase)).Select(s => $"\"{s.AffectedName}\"");
            c.Add("DeviceTvmSoftwareVulnerabilitiesKB", new()
            {
                ["CveId"] = cve.Id, ["CvssScore"] = cve.CvssV3.ToString("0.0", CultureInfo.InvariantCulture), ["IsExploitAvailable"] = cve.PublicExploit,
                ["VulnerabilitySeverityLevel"] = cve.Severity, ["LastModifiedTime"] = cve.UpdatedOn, ["PublishedDate"] = cve.PublishedOn,
                ["VulnerabilityDescription"] = cve.Description, ["AffectedSoftware"] = $"[{string.Join(',', affected)}]",
            });
        }

        foreach (var config in Configurations)
        {
            c.Add("DeviceTvmSecureConfigurationAssessmentKB", new()
            {
                ["ConfigurationId"] = config.Id, ["ConfigurationImpact"] = config.Impact, ["ConfigurationName"] = config.Name, ["ConfigurationDescription"] = config.Name + ".",
                ["RiskDescription"] = config.Risk, ["ConfigurationCategory"] = config.Category, ["ConfigurationSubcategory"] = config.Subcategory,
                ["ConfigurationBenchmarks"] = "[{\"BenchmarkName\":\"CIS\",\"Controls\":[\"18.9\"]}]", ["Tags"] = $"[\"{config.Subcategory}\"]", ["RemediationOptions"] = config.Remediation,
            });
            c.Add("DeviceBaselineComplianceAssessmentKB", new()
            {
                ["ConfigurationId"] = config.Id, ["ConfigurationName"] = config.Name, ["ConfigurationDescription"] = config.Name + ".", ["ConfigurationRationale"] = config.Risk,
                ["ConfigurationCategory"] = config.Category, ["BenchmarkProfileLevels"] = "[\"Level 1 (L1) - Corporate/Enterprise Environment\"]",
                ["CCEReference"] = $"CCE-{10000 + config.Id.Length * 1111}-0", ["RemediationOptions"] = config.Remediation, ["ConfigurationBenchmark"] = "CIS",
                ["Source"] = "[\"HKLM\\\\SOFTWARE\\\\Policies\\\\Microsoft\"]", ["RecommendedValue"] = "[\"1\"]",
            });
        }

        foreach (var (id, name, os) in new[] { ("bp-workstations", "CIS Windows 11 workstations", "Windows11"), ("bp-servers", "CIS Windows Server 2022", "WindowsServer2022") })
        {
            c.Add("DeviceBaselineComplianceProfiles", new()
            {
                ["ProfileId"] = id, ["ProfileName"] = name, ["ProfileDescription"] = "Security baseline of the " + (os.StartsWith("Windows1", StringComparison.Ordinal) ? "workstations" : "servers"),
                ["OSPlatform"] = $"[\"{os}\"]", ["OSVersion"] = os == "Windows11" ? "23H2" : "21H2", ["BaseBenchmark"] = "CIS", ["BenchmarkVersion"] = "3.0.0",
                ["BenchmarkProfileLevel"] = "Level 1 (L1) - Corporate/Enterprise Environment", ["Status"] = true, ["CreatedBy"] = c.Upn(c.Names.Users[^1]),
                ["CreatedOn"] = c.Now.AddDays(-90).Date, ["LastUpdatedBy"] = c.Upn(c.Names.Users[^1]), ["LastUpdatedOn"] = c.Now.AddDays(-12).Date,
            });
        }

        foreach (var (name, id, risk, vendor, permissions) in Extensions)
        {
            foreach (var permission in permissions)
            {
                c.Add("DeviceTvmBrowserExtensionsKB", new()
                {
                    ["BrowserName"] = "Microsoft Edge", ["ExtensionId"] = id, ["ExtensionName"] = name, ["ExtensionDescription"] = name + " browser extension",
                    ["ExtensionVersion"] = "[\"1.4.2\"]", ["ExtensionRisk"] = risk, ["PermissionId"] = permission, ["PermissionName"] = permission,
                    ["PermissionDescription"] = $"Lets the extension use {permission}", ["PermissionRisk"] = permission is "<all_urls>" or "cookies" or "webRequest" ? "High" : "Low",
                    ["IsPermissionRequired"] = "Required",
                });
            }
        }

        c.Add("DeviceTvmInfoGatheringKB", new() { ["IgId"] = "ig-tls-client-10", ["FieldName"] = "TlsClient10", ["Description"] = "Whether TLS 1.0 is enabled for clients", ["Categories"] = "[\"tls\"]", ["DataStructure"] = "String" });
        c.Add("DeviceTvmInfoGatheringKB", new() { ["IgId"] = "ig-tls-server-10", ["FieldName"] = "TlsServer10", ["Description"] = "Whether TLS 1.0 is enabled for servers", ["Categories"] = "[\"tls\"]", ["DataStructure"] = "String" });
        c.Add("DeviceTvmInfoGatheringKB", new() { ["IgId"] = "ig-log4j-mitigation", ["FieldName"] = "Log4JEnvironmentVariableMitigation", ["Description"] = "Whether the Log4Shell environment-variable workaround is applied", ["Categories"] = "[\"log4j\",\"vulnerability mitigation\"]", ["DataStructure"] = "String" });
        c.Add("DeviceTvmInfoGatheringKB", new() { ["IgId"] = "ig-asr-office-child", ["FieldName"] = "AsrOfficeChildProcess", ["Description"] = "Mode of the ASR rule that blocks Office child processes", ["Categories"] = "[\"asr\"]", ["DataStructure"] = "String" });
    }

    private static void AddInstall(HuntingRowContext c, Device d, InstalledSoftware install)
    {
        var product = install.Software;
        var (osVersion, arch) = OsOf(d);
        Dictionary<string, object?> Row() => new()
        {
            ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["OSPlatform"] = d.Os, ["OSVersion"] = osVersion, ["OSArchitecture"] = arch,
            ["SoftwareVendor"] = product.Vendor, ["SoftwareName"] = product.Name, ["SoftwareVersion"] = install.Version,
        };

        var inventory = Row();
        inventory["EndOfSupportStatus"] = product.EndOfSupportStatus;
        inventory["EndOfSupportDate"] = product.EndOfSupportDate is { } eos ? DateTime.SpecifyKind(DateTime.ParseExact(eos, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc) : null;
        inventory["ProductCodeCpe"] = $"cpe:2.3:a:{product.Vendor}:{product.Name}:{install.Version}:*:*:*:*:*:*:*";
        c.Add("DeviceTvmSoftwareInventory", inventory);
        var windows = d.Os.StartsWith("Windows", StringComparison.Ordinal);
        c.Add("DeviceTvmSoftwareEvidenceBeta", new()
        {
            ["DeviceId"] = d.Id, ["SoftwareVendor"] = product.Vendor, ["SoftwareName"] = product.Name, ["SoftwareVersion"] = install.Version,
            ["RegistryPaths"] = windows ? $"[\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\{product.Name}\"]" : "[]",
            ["DiskPaths"] = $"[\"{product.EvidencePath.Replace(@"\", @"\\", StringComparison.Ordinal)}\"]",
            ["LastSeenTime"] = c.Now.AddHours(-3).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        });
        foreach (var id in install.Cves)
        {
            var cve = VulnerabilityCatalog.FindVulnerability(id)!;
            var row = Row();
            row["CveId"] = cve.Id;
            row["VulnerabilitySeverityLevel"] = cve.Severity;
            row["RecommendedSecurityUpdate"] = product.FixingKbId is { } kb ? $"KB{kb}" : $"Update {product.Name} to {product.CurrentVersion}";
            row["RecommendedSecurityUpdateId"] = product.FixingKbId ?? string.Empty;
            row["CveTags"] = cve.PublicExploit ? "[\"ExploitAvailable\"]" : "[]";
            c.Add("DeviceTvmSoftwareVulnerabilities", row);
        }
    }

    private static void AddDeviceState(HuntingRowContext c, Device d)
    {
        var (osVersion, _) = OsOf(d);
        var windows = d.Os.StartsWith("Windows", StringComparison.Ordinal);
        var laptop = d.Name.Contains("-lt-", StringComparison.Ordinal);
        foreach (var (config, index) in Configurations.Select((x, i) => (x, i)))
        {
            // The phished user's laptop lets Office start child processes: the hole the story went through.
            var compliant = !(config.Id == "scid-5001" && (d == c.Story.Victim || (laptop && index % 2 == 0))) && c.Random.Next(6) > 0;
            c.Add("DeviceTvmSecureConfigurationAssessment", new()
            {
                ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["OSPlatform"] = d.Os, ["Timestamp"] = c.Now.AddHours(-2), ["ConfigurationId"] = config.Id,
                ["ConfigurationCategory"] = config.Category, ["ConfigurationSubcategory"] = config.Subcategory, ["ConfigurationImpact"] = config.Impact,
                ["IsCompliant"] = compliant, ["IsApplicable"] = windows, ["Context"] = "[]", ["IsExpectedUserImpact"] = config.Id == "scid-5001",
            });
            if (windows)
            {
                c.Add("DeviceBaselineComplianceAssessment", new()
                {
                    ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["OSPlatform"] = d.Os, ["OSVersion"] = osVersion, ["ConfigurationId"] = config.Id,
                    ["ProfileId"] = d.Kind == "Server" ? "bp-servers" : "bp-workstations", ["IsCompliant"] = compliant, ["IsApplicable"] = true,
                    ["Source"] = "[\"HKLM\\\\SOFTWARE\\\\Policies\\\\Microsoft\"]", ["RecommendedValue"] = "[\"1\"]", ["CurrentValue"] = compliant ? "[\"1\"]" : "[\"0\"]", ["IsExempt"] = false,
                });
            }
        }

        c.Add("DeviceTvmInfoGathering", new()
        {
            ["Timestamp"] = c.Now.AddHours(-1), ["LastSeenTime"] = c.Now.AddMinutes(-30), ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["OSPlatform"] = d.Os,
            ["AdditionalFields"] = windows
                ? $"{{\"TlsClient10\":\"{(d.Kind == "Server" ? "Enabled" : "Disabled")}\",\"TlsServer10\":\"Disabled\",\"AsrOfficeChildProcess\":\"{(d == c.Story.Victim ? "Off" : "Block")}\"}}"
                : $"{{\"Log4JEnvironmentVariableMitigation\":\"{(d.Name.Contains("-srv-web-", StringComparison.Ordinal) ? "false" : "true")}\"}}",
        });
        var vendor = d.Kind == "Server" ? "Dell Inc." : "LENOVO";
        foreach (var (type, name, family, version) in new[]
        {
            ("Hardware", d.Kind == "Server" ? "PowerEdge R650" : "ThinkPad T14 Gen 4", d.Kind == "Server" ? "PowerEdge" : "ThinkPad", "1.0"),
            ("Bios", d.Kind == "Server" ? "Dell BIOS" : "Lenovo BIOS", "Bios", d.Kind == "Server" ? "1.11.2" : "N2VET29W"),
            ("Processor", "Intel Core i7-1365U", "Core i7", "13"),
        })
        {
            c.Add("DeviceTvmHardwareFirmware", new()
            {
                ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["ComponentType"] = type, ["Manufacturer"] = type == "Processor" ? "Intel" : vendor, ["ComponentName"] = name,
                ["ComponentFamily"] = family, ["ComponentVersion"] = version, ["AdditionalFields"] = "{}",
            });
        }

        if (windows)
        {
            var host = d.Name.Split('.')[0];
            var expires = c.Now.AddDays(d.Kind == "Server" ? 20 : 300);
            c.Add("DeviceTvmCertificateInfo", new()
            {
                ["DeviceId"] = d.Id, ["Thumbprint"] = DataGenerator.Hex("cert:" + d.Name, 20).ToUpperInvariant(), ["Path"] = @"LocalMachine\My",
                ["SerialNumber"] = DataGenerator.Hex("serial:" + d.Name, 8).ToUpperInvariant(), ["IssuedTo"] = $"{{\"CommonName\":\"{d.Name}\"}}",
                ["IssuedBy"] = $"{{\"CommonName\":\"{c.Names.NetBios}-CA\",\"Organization\":\"{c.Names.NetBios}\"}}", ["FriendlyName"] = host,
                ["SignatureAlgorithm"] = "sha256RSA", ["KeySize"] = "2048", ["ExpirationDate"] = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["IssueDate"] = expires.AddYears(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["SubjectType"] = "End entity",
                ["KeyUsage"] = "DigitalSignature, KeyEncipherment", ["ExtendedKeyUsage"] = "Server Authentication, Client Authentication",
            });
        }

        if (d.Kind == "Workstation")
        {
            // Everyone has the first extension; every third laptop also has the risky PDF converter.
            foreach (var (name, id, risk, vendorName, _) in Extensions.Where((_, i) => i == 0 || (i == 2 && DataGenerator.Seed(d.Name) % 3 == 0) || (i == 1 && d == c.Story.Victim)))
            {
                c.Add("DeviceTvmBrowserExtensions", new()
                {
                    ["DeviceId"] = d.Id, ["BrowserName"] = "Microsoft Edge", ["ExtensionId"] = id, ["ExtensionName"] = name, ["ExtensionDescription"] = name + " browser extension",
                    ["ExtensionVersion"] = "1.4.2", ["ExtensionRisk"] = risk, ["ExtensionVendor"] = vendorName, ["IsActivated"] = "true", ["InstallationTime"] = c.Now.AddDays(-40 - (id.Length % 7)),
                });
            }
        }
    }

    private static (string Version, string Architecture) OsOf(Device d) =>
        (d.Os switch { "Windows11" => "10.0.22631", "Windows10" => "10.0.19045", "WindowsServer2019" => "10.0.17763", "WindowsServer2022" => "10.0.20348", _ => "22.04" }, "x64");
}
