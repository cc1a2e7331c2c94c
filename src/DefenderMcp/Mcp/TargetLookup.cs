namespace DefenderMcp.Mcp;

/// <summary>
/// What a write acts on, for the text of a 404: the object in words, the parameter that names it (validated, so safe
/// to repeat) and the read tool that lists such objects, e.g. ("incident", incident_id, "list_incidents").
/// </summary>
public sealed record TargetLookup(string Noun, ToolParameter Id, string ListTool);
