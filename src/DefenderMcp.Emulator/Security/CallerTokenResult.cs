namespace DefenderMcp.Emulator.Security;

/// <summary>A minted caller token and the facts a test needs to configure a server for it.</summary>
/// <param name="Token">The compact JWT.</param>
/// <param name="Issuer">The <c>iss</c> written into it.</param>
/// <param name="KeyId">The <c>kid</c> of its header (null when unsigned).</param>
/// <param name="Oid">The caller's object id.</param>
/// <param name="TenantId">The caller's tenant GUID (<c>tid</c>).</param>
public sealed record CallerTokenResult(string Token, string Issuer, string? KeyId, string Oid, string TenantId);
