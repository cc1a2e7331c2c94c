using DefenderMcp.Client;

namespace DefenderMcp.Configuration;

/// <summary>One configured tenant: its key, how to reach it, and its policy.</summary>
/// <param name="Key">The short key users pass as <c>tenant</c>; also the label in every result.</param>
/// <param name="Connection">Identity, credential and endpoints for the Defender client.</param>
/// <param name="Policy">The tenant's safety policy.</param>
public sealed record TenantSettings(string Key, DefenderTenantOptions Connection, TenantPolicy Policy);
