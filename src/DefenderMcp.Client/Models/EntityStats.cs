namespace DefenderMcp.Client;

/// <summary>
/// In-organization statistics of a file, IP or domain: how many devices saw it and when. The file's global numbers
/// and top names are set only for files.
/// </summary>
public sealed record EntityStats(
    long? OrganizationPrevalence,
    DateTimeOffset? OrgFirstSeen,
    DateTimeOffset? OrgLastSeen,
    long? GlobalPrevalence,
    IReadOnlyList<string> TopFileNames);
