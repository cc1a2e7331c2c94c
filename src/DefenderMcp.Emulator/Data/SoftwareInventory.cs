using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The software on a tenant's devices, chosen from each machine's name and platform so every view agrees: the
/// vulnerability and software APIs answer from it, and the DeviceTvm* hunting tables can be built from the same
/// <see cref="Installations"/> (one row each; <see cref="InstalledSoftware.Cves"/> for the vulnerability rows).
/// The finance and HR laptops run the vulnerable Office build (the story's CVE), sales laptops an old Chrome,
/// engineering workstations an old WinRAR and an out-of-support Python, executive laptops Silverlight, the Windows 10
/// devices miss the August 2024 update, and the Linux web server runs Log4j 2.14.1.
/// </summary>
public sealed class SoftwareInventory
{
    private static readonly ConditionalWeakTable<TenantData, SoftwareInventory> Cache = [];

    private SoftwareInventory(IReadOnlyList<InstalledSoftware> installations) => Installations = installations;

    /// <summary>Every product on every device, device by device in machine order.</summary>
    public IReadOnlyList<InstalledSoftware> Installations { get; }

    /// <summary>The inventory of a tenant (built once from its machines).</summary>
    public static SoftwareInventory Of(TenantData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Cache.GetValue(data, d => Build(d.Machines));
    }

    /// <summary>The inventory of these machines (MDE machine objects: id, computerDnsName, osPlatform, rbacGroupName, firstSeen).</summary>
    public static SoftwareInventory Build(IEnumerable<JsonObject> machines)
    {
        ArgumentNullException.ThrowIfNull(machines);
        var list = new List<InstalledSoftware>();
        foreach (var m in machines)
        {
            var id = m["id"]?.GetValue<string>() ?? string.Empty;
            var name = m["computerDnsName"]?.GetValue<string>() ?? string.Empty;
            var os = m["osPlatform"]?.GetValue<string>() ?? string.Empty;
            var group = m["rbacGroupName"]?.GetValue<string>() ?? "Unassigned";
            var firstSeen = m["firstSeen"]?.GetValue<string>() ?? string.Empty;
            foreach (var (product, vulnerable) in Products(name, os))
            {
                var software = VulnerabilityCatalog.Product(product);
                var version = vulnerable ? software.VulnerableVersion! : software.CurrentVersion;
                list.Add(new InstalledSoftware(id, name, os, group, software, version, firstSeen));
            }
        }

        return new SoftwareInventory(list);
    }

    /// <summary>The products on one device.</summary>
    public IEnumerable<InstalledSoftware> OnDevice(string deviceId) =>
        Installations.Where(i => string.Equals(i.DeviceId, deviceId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The installs of one product.</summary>
    public IEnumerable<InstalledSoftware> OfSoftware(string softwareId) =>
        Installations.Where(i => string.Equals(i.Software.Id, softwareId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The installs exposed to a CVE.</summary>
    public IEnumerable<InstalledSoftware> ExposedTo(string cve) =>
        Installations.Where(i => i.Cves.Contains(cve, StringComparer.OrdinalIgnoreCase));

    /// <summary>How many distinct devices are exposed to a CVE.</summary>
    public int ExposedDeviceCount(string cve) => ExposedTo(cve).Select(i => i.DeviceId).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    private static IEnumerable<(string Product, bool Vulnerable)> Products(string name, string os)
    {
        bool Team(string team) => name.Contains($"-{team}-", StringComparison.OrdinalIgnoreCase);
        switch (os)
        {
            case "Windows10" or "Windows11":
                yield return (os == "Windows10" ? "windows_10" : "windows_11", os == "Windows10");
                yield return ("office", Team("fin-lt") || Team("hr-lt"));
                yield return ("edge_chromium-based", false);
                yield return ("chrome", Team("sales-lt"));
                if (Team("eng-ws"))
                {
                    yield return ("winrar", true);
                    yield return ("python", false);
                }

                if (Team("exec-lt"))
                {
                    yield return ("silverlight", false);
                }

                break;
            case "WindowsServer2019" or "WindowsServer2022":
                yield return (os == "WindowsServer2019" ? "windows_server_2019" : "windows_server_2022", false);
                yield return ("edge_chromium-based", false);
                if (Team("srv-sql"))
                {
                    yield return ("sql_server_2019", false);
                }

                break;
            case "Linux":
                yield return ("openssl", false);
                yield return ("log4j", Team("srv-web"));
                break;
        }
    }
}
