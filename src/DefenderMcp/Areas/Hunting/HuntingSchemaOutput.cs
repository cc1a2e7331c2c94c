namespace DefenderMcp.Areas.Hunting;

/// <summary>The hunting schema: the table list, or one table's columns (and, with a tenant, the live differences).</summary>
/// <param name="Tables">With no table: every table and its purpose, then the documented functions (purpose starts "Function").</param>
/// <param name="Table">With a table (or a function): its name.</param>
/// <param name="Purpose">With a table: what it holds.</param>
/// <param name="Columns">With a table: its columns and KQL types.</param>
/// <param name="Live">With a table and a tenant: how the tenant's live schema differs from the catalog.</param>
public sealed record HuntingSchemaOutput(
    IReadOnlyList<HuntingTableSummary>? Tables,
    string? Table,
    string? Purpose,
    IReadOnlyList<HuntingColumnOutput>? Columns,
    LiveSchemaDifference? Live);
