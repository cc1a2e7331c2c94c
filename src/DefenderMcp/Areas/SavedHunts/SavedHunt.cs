namespace DefenderMcp.Areas.SavedHunts;

/// <summary>A saved hunt: a named, described KQL query with a default timespan and optional tenants.</summary>
/// <param name="Name">Its name: lowercase letters, digits and hyphens.</param>
/// <param name="Description">What it finds and why it matters.</param>
/// <param name="Query">The KQL text.</param>
/// <param name="Timespan">Default look-back (ISO-8601).</param>
/// <param name="Tenants">Tenants it runs on by default (empty: the default tenant).</param>
/// <param name="Techniques">MITRE ATT&amp;CK technique ids it covers.</param>
public sealed record SavedHunt(string Name, string Description, string Query, string Timespan, IReadOnlyList<string> Tenants, IReadOnlyList<string> Techniques);
