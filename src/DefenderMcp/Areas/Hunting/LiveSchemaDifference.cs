namespace DefenderMcp.Areas.Hunting;

/// <summary>How a tenant's live table differs from the documented one.</summary>
/// <param name="Tenant">The tenant asked.</param>
/// <param name="MissingInTenant">Documented columns the tenant's table lacks.</param>
/// <param name="ExtraInTenant">Columns the tenant has that the catalog does not document.</param>
/// <param name="TypeMismatches">Columns whose live type differs (as "Column: documented → live").</param>
public sealed record LiveSchemaDifference(string Tenant, IReadOnlyList<string> MissingInTenant, IReadOnlyList<string> ExtraInTenant, IReadOnlyList<string> TypeMismatches);
