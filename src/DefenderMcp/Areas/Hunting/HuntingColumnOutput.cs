using System.Text.Json.Serialization;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// One column of a hunting result, keyed <c>Name</c> and <c>Type</c> as the hunting API and mcp-defender-xdr return
/// them (not snake_case like our other keys), so a prompt or script written for either reads ours unchanged.
/// </summary>
public sealed record HuntingColumnOutput(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Type")] string Type);
