namespace DefenderMcp.State;

/// <summary>
/// One stored run of a scheduled hunt on one tenant. The store keeps <paramref name="Payload"/> as opaque JSON written
/// by the scheduler, and counts its UTF-8 bytes against the retention.
/// </summary>
/// <param name="Hunt">The saved hunt's name.</param>
/// <param name="Tenant">The tenant key.</param>
/// <param name="RunAt">When the run started.</param>
/// <param name="Payload">The run as JSON (the scheduler's record).</param>
public sealed record HuntRunEntry(string Hunt, string Tenant, DateTimeOffset RunAt, string Payload)
{
    /// <summary>The payload's size as the retention counts it.</summary>
    public long Bytes => System.Text.Encoding.UTF8.GetByteCount(Payload);
}
