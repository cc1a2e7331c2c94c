namespace DefenderMcp.Client;

/// <summary>A security update (KB) a device misses (<c>/api/machines/{id}/getmissingkbs</c>).</summary>
public sealed record MissingUpdate(
    string? Id,
    string? Name,
    IReadOnlyList<string> ProductNames,
    string? Url,
    long? MachineMissedOn,
    long? CveAddressed);
