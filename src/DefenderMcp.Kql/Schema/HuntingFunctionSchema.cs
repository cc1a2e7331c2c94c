namespace DefenderMcp.Kql.Schema;

/// <summary>
/// One documented advanced hunting function (FileProfile, DeviceFromIP, SeenBy ...). Listed so the guard knows them and
/// does not take them for unknown names, and so a model can see what each returns.
/// </summary>
/// <param name="Name">Function name, as the service spells it.</param>
/// <param name="Syntax">How the docs call it, e.g. <c>invoke FileProfile(x, y)</c>.</param>
/// <param name="Purpose">A one-line description of what it adds or returns.</param>
/// <param name="Columns">The columns it returns or adds; empty when it only filters its input.</param>
/// <param name="PassThrough">True when it keeps its input's columns and rows that match (the UEBA behavior filters).</param>
public sealed record HuntingFunctionSchema(string Name, string Syntax, string Purpose, IReadOnlyList<HuntingColumnSchema> Columns, bool PassThrough);
