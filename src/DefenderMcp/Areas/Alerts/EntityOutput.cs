namespace DefenderMcp.Areas.Alerts;

/// <summary>An impacted entity flattened from alert evidence.</summary>
/// <param name="Type">device, user, process, file, ip, url, mailbox, email, registry, or the evidence type.</param>
/// <param name="Name">The most useful name: device DNS name, account, file name, address.</param>
/// <param name="Id">A stable identifier when there is one: MDE device id, SHA1, SID/UPN.</param>
/// <param name="Details">A few more fields (command line, path, hashes, country).</param>
/// <param name="Verdict">The evidence verdict.</param>
/// <param name="Roles">Evidence roles (compromised, attacker, ...).</param>
/// <param name="AlertIds">The alerts that carry this entity.</param>
public sealed record EntityOutput(
    string Type,
    string? Name,
    string? Id,
    IReadOnlyDictionary<string, string> Details,
    string? Verdict,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> AlertIds);
