using Microsoft.AspNetCore.Authentication;

namespace DefenderMcp.Hosting.Http;

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Returns the caller name of a presented key, or null when no key matches. Must compare in constant time.</summary>
    public Func<string, string?> Match { get; set; } = _ => null;
}
