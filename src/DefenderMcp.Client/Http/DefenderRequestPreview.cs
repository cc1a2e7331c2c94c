namespace DefenderMcp.Client;

/// <summary>What a write would send, for a dry run: method, absolute URL and JSON body (no headers, no token).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Absolute URL.</param>
/// <param name="Body">JSON body, or null.</param>
public sealed record DefenderRequestPreview(string Method, string Url, string? Body);
