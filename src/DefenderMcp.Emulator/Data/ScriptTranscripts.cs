using System.Text;
using System.Text.Json.Nodes;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// What a RunScript result link downloads: the documented JSON transcript <c>{script_name, exit_code, script_output,
/// script_errors}</c>, with realistic output for the starter scripts (the compromised laptop shows the story's payload
/// and its C2 connection) and a plain line for any other library script.
/// </summary>
public static class ScriptTranscripts
{
    /// <summary>The transcript of <paramref name="script"/> run with <paramref name="arguments"/> on <paramref name="device"/>.</summary>
    public static byte[] For(string script, string? arguments, StoryDevice device, StoryNames names)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(names);
        var (exit, output, errors) = script.ToLowerInvariant() switch
        {
            "collect-triage.ps1" => (0, Triage(device, names), string.Empty),
            "list-processes.ps1" => (0, Processes(device, names), string.Empty),
            "list-services.ps1" => (0, Services(device, names), string.Empty),
            "minidump.ps1" when string.IsNullOrWhiteSpace(arguments) => (1, string.Empty, "minidump.ps1: a process name is required."),
            "minidump.ps1" => (0, $"Dumping {arguments} ...\r\nDump written to C:\\Windows\\Temp\\{arguments}.dmp.zip\r\n", string.Empty),
            _ => (0, $"{script} ran on {device.Name}{(string.IsNullOrEmpty(arguments) ? string.Empty : $" with arguments '{arguments}'")}.\r\n", string.Empty),
        };
        var json = new JsonObject { ["script_name"] = script, ["exit_code"] = exit, ["script_output"] = output, ["script_errors"] = errors };
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static string Processes(StoryDevice device, StoryNames names)
    {
        var lines = new StringBuilder("Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\r\n-------  ------    -----      -----     ------     --  -- -----------\r\n");
        lines.Append("    612      38    21400      40112       3.12   1204   0 MsMpEng\r\n");
        lines.Append("    845      52    61220      98004      12.40   4412   1 OUTLOOK\r\n");
        lines.Append("    301      19     8120      17244       0.51    932   0 svchost\r\n");
        if (device.IsVictim)
        {
            lines.Append($"    214      16    12044      22880       1.07   6120   1 {Path.GetFileNameWithoutExtension(DataGenerator.PayloadName)}\r\n");
            lines.Append("    488      27    40332      51620       4.88   5904   1 powershell\r\n");
        }

        return lines.Append(Invariant($"Collected from {device.Name} ({names.Domain}).\r\n")).ToString();
    }

    // Long on purpose (well over the 4,000 characters a tool shows inline): every line of it pages by result_id.
    private static string Services(StoryDevice device, StoryNames names)
    {
        string[] services =
        [
            "AarSvc", "AppIDSvc", "Appinfo", "AppMgmt", "AppReadiness", "AppXSvc", "AudioEndpointBuilder", "Audiosrv", "BFE", "BITS",
            "BrokerInfrastructure", "BthAvctpSvc", "CDPSvc", "CertPropSvc", "ClipSVC", "CoreMessagingRegistrar", "CryptSvc", "DcomLaunch", "Dhcp", "DiagTrack",
            "DispBrokerDesktopSvc", "DisplayEnhancementService", "Dnscache", "DoSvc", "DPS", "DsmSvc", "DusmSvc", "EventLog", "EventSystem", "FontCache",
            "gpsvc", "hidserv", "iphlpsvc", "KeyIso", "LanmanServer", "LanmanWorkstation", "lfsvc", "LicenseManager", "lmhosts", "LSM",
            "mpssvc", "MSDTC", "NcbService", "Netlogon", "Netman", "netprofm", "NlaSvc", "nsi", "PcaSvc", "PlugPlay",
            "Power", "ProfSvc", "RasMan", "RmSvc", "RpcEptMapper", "RpcSs", "SamSs", "Schedule", "SecurityHealthService", "SENS",
            "Sense", "SgrmBroker", "ShellHWDetection", "Spooler", "SSDPSRV", "SstpSvc", "StateRepository", "StorSvc", "SysMain", "SystemEventsBroker",
            "TextInputManagementService", "Themes", "TimeBrokerSvc", "TokenBroker", "TrkWks", "UserManager", "UsoSvc", "VaultSvc", "W32Time", "WdNisSvc",
            "WinDefend", "WinHttpAutoProxySvc", "Winmgmt", "WlanSvc", "WpnService", "wscsvc", "WSearch", "wuauserv",
        ];
        var lines = new StringBuilder("Status   StartType  Name                          BinaryPath\r\n------   ---------  ----                          ----------\r\n");
        foreach (var service in services)
        {
            lines.Append(Invariant($"Running  Automatic  {service,-30}C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s {service}\r\n"));
        }

        if (device.IsVictim)
        {
            lines.Append($"Running  Automatic  OneDriveUpdaterSvc            C:\\Users\\{names.Users[0]}\\AppData\\Local\\Temp\\{DataGenerator.PayloadName} --service\r\n");
        }

        return lines.Append(Invariant($"{services.Length + (device.IsVictim ? 1 : 0)} services on {device.Name}.\r\n")).ToString();
    }

    private static string Triage(StoryDevice device, StoryNames names)
    {
        var text = new StringBuilder("== Processes ==\r\n").Append(Processes(device, names));
        text.Append("== Network connections ==\r\nProto  Local Address          Foreign Address        State        PID\r\n");
        text.Append(Invariant($"TCP    {names.Subnet}.21:49712       20.190.160.14:443      ESTABLISHED  4412\r\n"));
        if (device.IsVictim)
        {
            text.Append(Invariant($"TCP    {names.Subnet}.21:49733       {names.AttackerIp}:443     ESTABLISHED  6120\r\n"));
        }

        text.Append("== Autoruns (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run) ==\r\n");
        text.Append(device.IsVictim ? $"OneDriveUpdate    C:\\Users\\{names.Users[0]}\\AppData\\Local\\Temp\\{DataGenerator.PayloadName}\r\n" : "(none)\r\n");
        return text.ToString();
    }

    private static string Invariant(FormattableString value) => FormattableString.Invariant(value);
}
