using System.Text.Json;

namespace DefenderMcp.Areas.Hunting;

/// <summary>One tenant's hunting result, shaped to fit a model's context.</summary>
/// <param name="Tenant">The tenant key (our label).</param>
/// <param name="Timespan">The effective look-back, ISO-8601.</param>
/// <param name="Schema">Columns and their types.</param>
/// <param name="Rows">Up to max_rows rows within the byte budget, each an object keyed by column.</param>
/// <param name="RowCount">Rows the query returned upstream.</param>
/// <param name="ReturnedRows">Rows included here.</param>
/// <param name="Truncated">True when <paramref name="ReturnedRows"/> is less than <paramref name="RowCount"/>.</param>
/// <param name="TruncationReason">Why rows were left out: max_rows or byte_budget.</param>
/// <param name="Warnings">KQL guard warnings (unknown table, no time filter ...).</param>
/// <param name="Notices">Notices such as a clamped timespan.</param>
/// <param name="ResponseBytes">Size of the upstream response body.</param>
/// <param name="ResultId">Handle of the full result in the server-side cache, for get_hunting_results; null if too large to keep.</param>
/// <param name="Metadata">Row count, column count and timespan, in the seed server's shape.</param>
public sealed record HuntingQueryOutput(
    string Tenant,
    string Timespan,
    IReadOnlyList<HuntingColumnOutput> Schema,
    IReadOnlyList<JsonElement> Rows,
    int RowCount,
    int ReturnedRows,
    bool Truncated,
    string? TruncationReason,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notices,
    long ResponseBytes,
    string? ResultId,
    HuntingMetadata Metadata);
