using System.Text.Json.Nodes;

namespace DefenderMcp.Mcp.Results;

/// <summary>The exact request a write would send: method, absolute URL and JSON body (no headers, no token).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Absolute URL.</param>
/// <param name="Body">The JSON body, or null.</param>
public sealed record RequestPreview(string Method, string Url, JsonNode? Body);
