namespace DefenderMcp.Kql.Schema;

/// <summary>One column of an advanced hunting table.</summary>
/// <param name="Name">Column name, as the service spells it.</param>
/// <param name="Type">KQL type: <c>datetime</c>, <c>string</c>, <c>long</c>, <c>int</c>, <c>bool</c>, <c>real</c>, <c>guid</c> or <c>dynamic</c>.</param>
public sealed record HuntingColumnSchema(string Name, string Type);
