namespace DefenderMcp.Emulator.Data;

/// <summary>The names that make each demo tenant's data and attack story distinct.</summary>
/// <param name="Prefix">Device name prefix.</param>
/// <param name="Domain">DNS and mail domain.</param>
/// <param name="NetBios">Account domain.</param>
/// <param name="Users">Account names; the first is the phished user.</param>
/// <param name="AttackerDomain">The phishing sender's domain.</param>
/// <param name="AttackerIp">The attacker's C2 address.</param>
/// <param name="IncidentBase">First incident id.</param>
/// <param name="Subnet">Internal /24 prefix, e.g. 10.1.0.</param>
public sealed record StoryNames(string Prefix, string Domain, string NetBios, IReadOnlyList<string> Users, string AttackerDomain, string AttackerIp, int IncidentBase, string Subnet)
{
    /// <summary>The names for a tenant key.</summary>
    public static StoryNames For(string key, int index) => key switch
    {
        "contoso" => new("ctso", "contoso.com", "CONTOSO", ["adele.vance", "megan.bowen", "alex.wilber", "lidia.holloway", "nestor.wilke", "pradeep.gupta", "isaiah.langer", "grady.archie", "lynne.robbins", "diego.siciliani"], "contoso-payroll-update.com", "185.220.101.47", 4301, "10.1.0"),
        "fabrikam" => new("fbrk", "fabrikam.com", "FABRIKAM", ["jonas.berg", "kim.akers", "mary.ellis", "oliver.ruiz", "sara.davis", "tom.chen", "ana.silva", "li.wei", "raj.patel", "eva.novak"], "fabrikam-invoice-portal.net", "91.219.236.18", 7101, "10.2.0"),
        _ => new(key.Length > 4 ? key[..4] : key, $"{key}.example", key.ToUpperInvariant(), [.. Enumerable.Range(1, 10).Select(i => $"user{i:00}")], $"{key}-login-check.example", $"203.0.113.{10 + (index % 200)}", 10_000 + (index * 100), $"10.{10 + (index % 200)}.0"),
    };
}
