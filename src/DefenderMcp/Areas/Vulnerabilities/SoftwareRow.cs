using DefenderMcp.Client;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A product with its end of support (null when hunting had no row for it), and why none could be read at all.</summary>
/// <param name="Product">The Software entity.</param>
/// <param name="EndOfSupport">Its end of support, or null.</param>
/// <param name="EndOfSupportUnavailable">Why the tenant's end of support could not be read, or null when it was.</param>
public sealed record SoftwareRow(SoftwareProduct Product, SoftwareEndOfSupport? EndOfSupport, string? EndOfSupportUnavailable);
