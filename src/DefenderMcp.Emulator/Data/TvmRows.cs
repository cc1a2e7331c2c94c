using System.Globalization;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// Rows of the Defender Vulnerability Management tables (DeviceTvm*, DeviceBaselineCompliance*): each device's
/// software, the CVEs of the vulnerable installs, configuration assessments, hardware, certificates and browser
/// extensions. The story's CVE (<see cref="StoryCve"/>, an Office flaw used in phishing documents) is on every finance
/// and HR laptop, the phished user's among them, so <c>DeviceTvmSoftwareVulnerabilities | where CveId == ...</c>
/// finds the compromised device.
/// </summary>
public static class TvmRows
{
    /// <summary>The story's CVE.</summary>
    public const string StoryCve = "CVE-2023-36884";

    private static readonly Cve[] Cves =
    [
        new(StoryCve, "High", "8.8", true, new(2023, 7, 11), "Microsoft Office and Windows HTML Remote Code Execution Vulnerability: a crafted Office document opened by the victim runs code in the victim's context.", "microsoft_office"),
        new("CVE-2023-36761", "Medium", "6.2", true, new(2023, 9, 12), "Microsoft Word Information Disclosure Vulnerability: previewing a crafted document can leak NTLM hashes.", "microsoft_office"),
        new("CVE-2023-4863", "High", "8.8", true, new(2023, 9, 12), "Heap buffer overflow in libwebp in Google Chrome before 116.0.5845.187 lets a remote attacker write out of bounds through a crafted HTML page.", "google_chrome"),
        new("CVE-2023-38831", "High", "7.8", true, new(2023, 8, 23), "RARLAB WinRAR before 6.23 runs code when a user opens a benign-looking file inside a crafted ZIP archive.", "rarlab_winrar"),
        new("CVE-2021-44228", "Critical", "10.0", true, new(2021, 12, 10), "Apache Log4j2 JNDI lookups let an attacker who controls logged data run code loaded from an LDAP server (Log4Shell).", "apache_log4j"),
        new("CVE-2024-38063", "Critical", "9.8", false, new(2024, 8, 13), "Windows TCP/IP Remote Code Execution Vulnerability: crafted IPv6 packets can run code on the target.", "microsoft_windows_10"),
    ];

    private static readonly Product[] Products =
    [
        new("microsoft", "office", "16.0.17029.20108", "16.0.16529.20182", [StoryCve, "CVE-2023-36761"], "5002477", @"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE"),
        new("google", "chrome", "120.0.6099.110", "116.0.5845.141", ["CVE-2023-4863"], null, @"C:\Program Files\Google\Chrome\Application\chrome.exe"),
        new("microsoft", "edge_chromium-based", "120.0.2210.77", null, [], null, @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
        new("microsoft", "windows_10", "10.0.19045.4780", "10.0.19045.4651", ["CVE-2024-38063"], "5041580", @"C:\Windows\System32\ntoskrnl.exe", "EOS Software", new(2025, 10, 14)),
        new("microsoft", "windows_11", "10.0.22631.4037", null, [], null, @"C:\Windows\System32\ntoskrnl.exe"),
        new("microsoft", "windows_server_2019", "10.0.17763.6189", null, [], null, @"C:\Windows\System32\ntoskrnl.exe"),
        new("microsoft", "windows_server_2022", "10.0.20348.2655", null, [], null, @"C:\Windows\System32\ntoskrnl.exe"),
        new("microsoft", "sql_server_2019", "15.0.4375.4", null, [], null, @"C:\Program Files\Microsoft SQL Server\MSSQL15.MSSQLSERVER\MSSQL\Binn\sqlservr.exe"),
        new("rarlab", "winrar", "7.00", "6.22", ["CVE-2023-38831"], null, @"C:\Program Files\WinRAR\WinRAR.exe"),
        new("python", "python", "3.8.10", null, [], null, @"C:\Program Files\Python38\python.exe", "EOS Version", new(2024, 10, 7)),
        new("microsoft", "silverlight", "5.1.50918.0", null, [], null, @"C:\Program Files\Microsoft Silverlight\Silverlight.Configuration.exe", "EOS Software", new(2021, 10, 12)),
        new("apache", "log4j", "2.17.1", "2.14.1", ["CVE-2021-44228"], null, "/opt/app/lib/log4j-core.jar"),
        new("openssl", "openssl", "3.0.13", null, [], null, "/usr/lib/x86_64-linux-gnu/libssl.so.3"),
    ];

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
        foreach (var d in c.Devices)
        {
            foreach (var (product, vulnerable) in Installed(d))
            {
                AddInstall(c, d, product, vulnerable);
            }

            AddDeviceState(c, d);
        }

        foreach (var cve in Cves)
        {
            c.Add("DeviceTvmSoftwareVulnerabilitiesKB", new()
            {
                ["CveId"] = cve.Id, ["CvssScore"] = cve.Cvss, ["IsExploitAvailable"] = cve.Exploit, ["VulnerabilitySeverityLevel"] = cve.Severity,
                ["LastModifiedTime"] = c.Now.AddDays(-30).Date, ["PublishedDate"] = DateTime.SpecifyKind(cve.Published.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc),
                ["VulnerabilityDescription"] = cve.Description, ["AffectedSoftware"] = $"[\"{cve.Affected}\"]",
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

    /// <summary>The products on a device, and whether it runs the vulnerable version of each.</summary>
    private static IEnumerable<(Product Product, bool Vulnerable)> Installed(Device d)
    {
        bool Team(string team) => d.Name.Contains($"-{team}-", StringComparison.OrdinalIgnoreCase);
        Product P(string name) => Products.First(p => p.Name == name);
        switch (d.Os)
        {
            case "Windows10" or "Windows11":
                yield return (P(d.Os == "Windows10" ? "windows_10" : "windows_11"), d.Os == "Windows10");
                yield return (P("office"), Team("fin-lt") || Team("hr-lt"));
                yield return (P("edge_chromium-based"), false);
                yield return (P("chrome"), Team("sales-lt"));
                if (Team("eng-ws"))
                {
                    yield return (P("winrar"), true);
                    yield return (P("python"), false);
                }

                if (Team("exec-lt"))
                {
                    yield return (P("silverlight"), false);
                }

                break;
            case "WindowsServer2019" or "WindowsServer2022":
                yield return (P(d.Os == "WindowsServer2019" ? "windows_server_2019" : "windows_server_2022"), false);
                yield return (P("edge_chromium-based"), false);
                if (Team("srv-sql"))
                {
                    yield return (P("sql_server_2019"), false);
                }

                break;
            default:
                yield return (P("openssl"), false);
                yield return (P("log4j"), Team("srv-web"));
                break;
        }
    }

    private static void AddInstall(HuntingRowContext c, Device d, Product product, bool vulnerable)
    {
        var version = vulnerable ? product.VulnerableVersion! : product.CurrentVersion;
        var (osVersion, arch) = OsOf(d);
        Dictionary<string, object?> Row() => new()
        {
            ["DeviceId"] = d.Id, ["DeviceName"] = d.Name, ["OSPlatform"] = d.Os, ["OSVersion"] = osVersion, ["OSArchitecture"] = arch,
            ["SoftwareVendor"] = product.Vendor, ["SoftwareName"] = product.Name, ["SoftwareVersion"] = version,
        };

        var inventory = Row();
        inventory["EndOfSupportStatus"] = product.EndOfSupportStatus;
        inventory["EndOfSupportDate"] = product.EndOfSupport is { } eos ? DateTime.SpecifyKind(eos.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc) : null;
        inventory["ProductCodeCpe"] = $"cpe:2.3:a:{product.Vendor}:{product.Name}:{version}:*:*:*:*:*:*:*";
        c.Add("DeviceTvmSoftwareInventory", inventory);
        var windows = d.Os.StartsWith("Windows", StringComparison.Ordinal);
        c.Add("DeviceTvmSoftwareEvidenceBeta", new()
        {
            ["DeviceId"] = d.Id, ["SoftwareVendor"] = product.Vendor, ["SoftwareName"] = product.Name, ["SoftwareVersion"] = version,
            ["RegistryPaths"] = windows ? $"[\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\{product.Name}\"]" : "[]",
            ["DiskPaths"] = $"[\"{product.Path.Replace(@"\", @"\\", StringComparison.Ordinal)}\"]",
            ["LastSeenTime"] = c.Now.AddHours(-3).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        });
        if (!vulnerable)
        {
            return;
        }

        foreach (var id in product.Cves)
        {
            var cve = Cves.First(v => v.Id == id);
            var row = Row();
            row["CveId"] = id;
            row["VulnerabilitySeverityLevel"] = cve.Severity;
            row["RecommendedSecurityUpdate"] = product.Kb is { } kb ? $"KB{kb}" : $"Update {product.Name} to {product.CurrentVersion}";
            row["RecommendedSecurityUpdateId"] = product.Kb ?? string.Empty;
            row["CveTags"] = cve.Exploit ? "[\"ExploitAvailable\"]" : "[]";
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

    private sealed record Cve(string Id, string Severity, string Cvss, bool Exploit, DateOnly Published, string Description, string Affected);

    private sealed record Product(string Vendor, string Name, string CurrentVersion, string? VulnerableVersion, string[] Cves, string? Kb, string Path, string EndOfSupportStatus = "None", DateOnly? EndOfSupport = null);
}
