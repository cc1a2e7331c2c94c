using System.Text.Json;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>One scheduled (or manual) run of a saved hunt on one tenant.</summary>
/// <param name="Hunt">The hunt's name.</param>
/// <param name="Tenant">The tenant key.</param>
/// <param name="RunAt">When it ran.</param>
/// <param name="RowCount">Rows the query returned, or null on error.</param>
/// <param name="Rows">The first rows (bounded).</param>
/// <param name="ResultId">Handle of the full result in the cache, while it lasts.</param>
/// <param name="Error">The error code and message, when the run failed.</param>
public sealed record HuntRunRecord(string Hunt, string Tenant, DateTimeOffset RunAt, int? RowCount, IReadOnlyList<JsonElement> Rows, string? ResultId, string? Error);
